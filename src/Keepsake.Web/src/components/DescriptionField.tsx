import { useEffect, useState } from 'react';
import { ErrorMessage } from './ErrorMessage';

/** The server keeps at most this many characters (PhotoDescriptionApi.MaxLength); it says so too. */
export const MAX_DESCRIPTION_LENGTH = 2000;

interface DescriptionFieldProps {
  photoId: string;
  description: string | null | undefined;
  /** Offered to the owner only: saves the text (blank clears it); resolves once saved. */
  onSave?: (photoId: string, description: string) => Promise<void>;
}

/** A photo's description in the viewer's info panel: read by anyone who sees it, written by its owner. */
export function DescriptionField({ photoId, description, onSave }: DescriptionFieldProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(description ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setEditing(false);
    setText(description ?? '');
    setError(null);
  }, [photoId, description]);

  async function save() {
    if (!onSave || saving) return;
    setSaving(true);
    setError(null);
    try {
      await onSave(photoId, text);
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  if (editing) {
    return (
      <form className="description-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label htmlFor="photo-description">Description</label>
        <textarea id="photo-description" value={text} rows={3} maxLength={MAX_DESCRIPTION_LENGTH} autoFocus
          onChange={(e) => setText(e.target.value)} />
        <div className="row">
          <button type="submit" className="button primary" disabled={saving}>{saving ? 'Saving…' : 'Save description'}</button>
          <button type="button" className="button" onClick={() => { setEditing(false); setText(description ?? ''); }}>Cancel</button>
        </div>
        <ErrorMessage error={error} what="Could not save the description" />
      </form>
    );
  }
  return (
    <div className="description">
      {description ? <p className="description-text">{description}</p> : null}
      {onSave ? (
        <button type="button" className="button subtle" onClick={() => setEditing(true)}>
          {description ? 'Edit description' : 'Add a description'}
        </button>
      ) : null}
    </div>
  );
}
