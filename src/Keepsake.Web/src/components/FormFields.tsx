import type { ReactNode } from 'react';
import type { FormSubmit } from '../useFormSubmit';

/** A form's fields and buttons, all disabled while it is being submitted (a fieldset that adds no box of its own). */
export function FormFields({ form, children }: { form: FormSubmit; children: ReactNode }) {
  return (
    <fieldset className="form-fields" disabled={form.submitting} aria-busy={form.submitting}>
      {children}
    </fieldset>
  );
}
