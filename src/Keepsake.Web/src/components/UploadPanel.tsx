import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { ApiError, errorMessage } from '../api/problem';
import { tusUpload } from '../api/tusUpload';
import type { Uploader } from '../api/upload';
import { UploadIcon } from '../icons';

type Status = 'waiting' | 'uploading' | 'done' | 'duplicate' | 'failed';

interface Entry {
  key: number;
  file: File;
  status: Status;
  progress: number;
  error?: string;
  /** Whether sending the file again may work: not for a file the server refused for what it is (a 4xx). */
  retryable?: boolean;
}

/** The server's refusal of the file itself (unsupported, damaged, too large) answers the same again; its own trouble may pass. */
function mayPassOnRetry(e: unknown): boolean {
  return !(e instanceof ApiError) || e.status >= 500 || e.status === 408 || e.status === 429;
}

interface UploadPanelProps {
  /** Defaults to XMLHttpRequest with upload progress; tests pass a fake. */
  uploader?: Uploader;
  /** Called once a batch is finished and at least one photo was added. */
  onUploaded?: () => void;
  concurrency?: number;
}

let nextKey = 1;

/** Drag-and-drop or pick photos; each file is its own request with its own progress and error. */
export function UploadPanel({ uploader = tusUpload, onUploaded, concurrency = 2 }: UploadPanelProps) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const active = useRef(0);
  const queue = useRef<Entry[]>([]);
  const added = useRef(false);
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;

  const update = useCallback((key: number, change: Partial<Entry>) => {
    setEntries((prev) => prev.map((e) => (e.key === key ? { ...e, ...change } : e)));
  }, []);

  const pump = useCallback(() => {
    while (active.current < concurrency && queue.current.length > 0) {
      const entry = queue.current.shift()!;
      active.current++;
      update(entry.key, { status: 'uploading', progress: 0 });
      uploader(entry.file, (fraction) => update(entry.key, { progress: fraction }))
        .then((response) => {
          const duplicate = response.photos.length > 0 && response.photos.every((p) => p.duplicate);
          if (!duplicate) added.current = true;
          update(entry.key, { status: duplicate ? 'duplicate' : 'done', progress: 1 });
        })
        .catch((e: unknown) => update(entry.key, { status: 'failed', error: errorMessage(e), retryable: mayPassOnRetry(e) }))
        .finally(() => {
          active.current--;
          if (active.current === 0 && queue.current.length === 0 && added.current) {
            added.current = false;
            onUploadedRef.current?.();
          }
          pump();
        });
    }
  }, [concurrency, uploader, update]);

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      const list = Array.from(files);
      if (list.length === 0) return;
      const fresh = list.map((file) => ({ key: nextKey++, file, status: 'waiting' as Status, progress: 0 }));
      setEntries((prev) => [...prev, ...fresh]);
      queue.current.push(...fresh);
      // Let React render the waiting rows before the first progress update.
      queueMicrotask(pump);
    },
    [pump],
  );

  function retry(entry: Entry) {
    const again = { ...entry, status: 'waiting' as Status, progress: 0, error: undefined };
    update(entry.key, { status: 'waiting', progress: 0, error: undefined });
    queue.current.push(again);
    pump();
  }

  // Dropping a file anywhere on the page should not navigate away from the app.
  useEffect(() => {
    const prevent = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', prevent);
    window.addEventListener('drop', prevent);
    return () => {
      window.removeEventListener('dragover', prevent);
      window.removeEventListener('drop', prevent);
    };
  }, []);

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  }

  const finished = entries.filter((e) => e.status === 'done' || e.status === 'duplicate' || e.status === 'failed').length;
  const busy = entries.some((e) => e.status === 'waiting' || e.status === 'uploading');

  return (
    <section className="upload" aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`} className="visually-hidden">Upload photos</h2>
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <UploadIcon />
        <span>Drop photos here or</span>
        <input
          id={inputId}
          className="visually-hidden file-input"
          type="file"
          multiple
          accept="image/*,.heic,.heif,.dng,.cr2,.nef,.arw"
          onChange={(e) => {
            if (e.target.files) addFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <label htmlFor={inputId} className="button primary">
          Choose photos
        </label>
      </div>
      {entries.length > 0 ? (
        <div className="upload-list">
          <div className="row spread">
            <p role="status" className="muted">
              {busy ? `Uploading: ${finished} of ${entries.length} done` : `${finished} of ${entries.length} done`}
            </p>
            {!busy ? (
              <button type="button" className="button subtle" onClick={() => setEntries([])}>
                Clear list
              </button>
            ) : null}
          </div>
          <ul aria-label="Uploads">
            {entries.map((entry) => (
              <li key={entry.key} className={`upload-item ${entry.status}`} aria-label={entry.file.name}>
                <span className="upload-name">{entry.file.name}</span>
                <progress max={1} value={entry.progress} aria-label={`Upload progress of ${entry.file.name}`} />
                <span className="upload-status">
                  {entry.status === 'waiting' && 'Waiting'}
                  {entry.status === 'uploading' && `${Math.round(entry.progress * 100)}%`}
                  {entry.status === 'done' && 'Uploaded'}
                  {entry.status === 'duplicate' && 'Already in your library'}
                  {entry.status === 'failed' && 'Failed'}
                </span>
                {entry.status === 'failed' ? (
                  <>
                    <p className="upload-error" role="alert">{entry.error}</p>
                    {entry.retryable ? (
                      <button type="button" className="button subtle" onClick={() => retry(entry)} aria-label={`Retry ${entry.file.name}`}>
                        Retry
                      </button>
                    ) : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
