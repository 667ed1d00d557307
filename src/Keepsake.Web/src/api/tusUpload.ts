import { Upload, type DetailedError } from 'tus-js-client';
import { getAntiforgeryToken, notifyUnauthorized } from './client';
import { api } from './endpoints';
import { ApiError, asProblem } from './problem';
import type { Uploader } from './upload';

/** Where resumable (tus 1.0.0) uploads are created; not in the OpenAPI document, whose terms cannot describe the protocol. */
export const resumableUploadPath = '/api/uploads';

/**
 * Uploads one file over tus, a part at a time: a dropped connection (a phone changing networks, a server restarting)
 * is retried from the last byte the server kept, and a page reloaded mid-upload picks the same file up where it stopped
 * (tus-js-client remembers the upload in localStorage). The server ingests the photo at the last byte, as a form upload.
 */
export const tusUpload: Uploader = async (file, onProgress) => {
  const { token, headerName } = await getAntiforgeryToken();
  const stored = await new Promise<{ photoId: string; duplicate: boolean }>((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: resumableUploadPath,
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      metadata: { filename: file.name },
      headers: { [headerName]: token },
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => {
        if (total > 0) onProgress(sent / total);
      },
      onSuccess: ({ lastResponse }) => {
        const photoId = lastResponse.getHeader('Upload-Photo-Id');
        if (photoId) resolve({ photoId, duplicate: lastResponse.getHeader('Upload-Photo-Duplicate') === 'true' });
        else reject(new ApiError(0, {}, `${file.name}: the server finished the upload without naming the photo.`));
      },
      onError: (error) => {
        const response = (error as DetailedError).originalResponse;
        const status = response?.getStatus() ?? 0;
        let body: unknown = {};
        try {
          body = response?.getBody() ? JSON.parse(response.getBody()) : {};
        } catch {
          body = {};
        }
        if (status === 401) notifyUnauthorized();
        reject(
          new ApiError(
            status,
            asProblem(body),
            status === 0 ? `${file.name}: the upload was interrupted; check your connection and retry.` : `${file.name}: the upload failed (${status}).`,
          ),
        );
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
  onProgress(1);
  const photo = await api.photos.get(stored.photoId);
  return { photos: [{ fileName: file.name, duplicate: stored.duplicate, photo }] };
};
