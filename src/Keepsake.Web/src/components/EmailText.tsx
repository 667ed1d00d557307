import { Fragment } from 'react';

/**
 * An e-mail address that a narrow screen wraps only where a reader expects it: after the @ and before a dot, never in
 * the middle of a name (`overflow-wrap: anywhere` would cut "anna" into "an" and "na").
 */
export function EmailText({ email }: { email: string }) {
  const parts = email.split(/(?=[.@])|(?<=@)/);
  return (
    <span className="email">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
