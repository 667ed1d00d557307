import type { UploadResponse } from './models';

/** Uploads one file, reporting the fraction sent so far; the default is tusUpload (./tusUpload.ts), tests give their own. */
export type Uploader = (file: File, onProgress: (fraction: number) => void) => Promise<UploadResponse>;
