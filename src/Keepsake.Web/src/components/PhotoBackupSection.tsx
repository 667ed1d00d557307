import { useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import type { PhotoBackupStatus } from '../api/models';
import { formatBytes, formatDateTime } from '../format';
import { ErrorMessage } from './ErrorMessage';

/**
 * The admin page's word on the photos' second copy: a warning while there is none (Backups:Photos:Provider is none),
 * else where the copies go, when a run last copied every original, and the target's generation.
 */
export function PhotoBackupSection() {
  const [status, setStatus] = useState<PhotoBackupStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.admin.photoBackup().then(setStatus, setError);
  }, []);

  return (
    <section className="card stack" aria-labelledby="photo-backup-heading">
      <h2 id="photo-backup-heading">Photo backups</h2>
      <ErrorMessage error={error} what="Could not load the photo backup status" />
      {status && !status.enabled ? (
        <p role="alert">
          <strong>The photos have no second copy.</strong> The database backups point at originals that exist only in primary storage: a
          lost disk or an emptied bucket loses them. Set <code>Backups:Photos:Provider</code> to <code>filesystem</code> (with{' '}
          <code>Backups:Photos:Path</code> on another disk) or <code>s3</code> (another bucket or provider), then run{' '}
          <code>keepsake backup photos</code>.
        </p>
      ) : null}
      {status && status.enabled ? (
        <>
          <p>
            Originals are copied to <code className="break">{status.target}</code>: {status.copies} files, {formatBytes(status.copiedBytes)}.
          </p>
          <p role="status">
            {status.lastSuccessAt
              ? `Last complete backup ${formatDateTime(status.lastSuccessAt)} (generation ${status.generation}).`
              : 'No photo backup has copied every original yet.'}
            {status.lastRunFailed > 0 ? ` The last run could not copy ${status.lastRunFailed} original(s); its output names them.` : ''}
          </p>
          {status.problem ? <p role="alert">{status.problem}</p> : null}
        </>
      ) : null}
    </section>
  );
}
