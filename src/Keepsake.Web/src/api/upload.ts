import { getAntiforgeryToken, uploadPath, notifyUnauthorized } from './client';
import type { UploadResponse } from './models';
import { ApiError, asProblem } from './problem';

export type Uploader = (file: File, onProgress: (fraction: number) => void) => Promise<UploadResponse>;

/** Uploads one file with XMLHttpRequest so the browser reports its progress. */
export const xhrUpload: Uploader = async (file, onProgress) => {
  const { token, headerName } = await getAntiforgeryToken();
  return new Promise<UploadResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', uploadPath);
    xhr.setRequestHeader(headerName, token);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, {}, `${file.name}: the upload was interrupted; check your connection and retry.`));
    xhr.onload = () => {
      let body: unknown = {};
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as UploadResponse);
      } else {
        if (xhr.status === 401) notifyUnauthorized();
        reject(new ApiError(xhr.status, asProblem(body), `${file.name}: the upload failed (${xhr.status}).`));
      }
    };
    const form = new FormData();
    form.append('files', file, file.name);
    xhr.send(form);
  });
};
