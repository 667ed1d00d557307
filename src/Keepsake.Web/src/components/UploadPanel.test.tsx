import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import type { Uploader } from '../api/upload';
import type { UploadResponse } from '../api/models';
import { UploadPanel } from './UploadPanel';

interface Pending {
  file: File;
  progress: (f: number) => void;
  resolve: (r: UploadResponse) => void;
  reject: (e: unknown) => void;
}

function controllableUploader() {
  const pending: Pending[] = [];
  const uploader: Uploader = (file, progress) =>
    new Promise((resolve, reject) => pending.push({ file, progress, resolve, reject }));
  return { uploader, pending };
}

const ok = (name: string, duplicate = false): UploadResponse => ({ photos: [{ fileName: name, duplicate, photo: {} as never }] });

describe('UploadPanel', () => {
  it('shows per-file progress, and one file’s error while the others succeed', async () => {
    // Dropped files skip the picker's accept filter; the server judges each file.
    const user = userEvent.setup({ applyAccept: false });
    const { uploader, pending } = controllableUploader();
    const onUploaded = vi.fn();
    render(<UploadPanel uploader={uploader} onUploaded={onUploaded} concurrency={3} />);

    const input = screen.getByLabelText('Choose photos');
    expect(input).toHaveAttribute('type', 'file');
    expect(input).toHaveAttribute('multiple');
    const files = ['a.jpg', 'notes.txt', 'c.jpg'].map((n) => new File(['x'], n, { type: n.endsWith('.txt') ? 'text/plain' : 'image/jpeg' }));
    await user.upload(input, files);

    await vi.waitFor(() => expect(pending).toHaveLength(3));
    expect(pending.map((p) => p.file.name)).toEqual(['a.jpg', 'notes.txt', 'c.jpg']);

    act(() => pending[0].progress(0.5));
    const list = screen.getByRole('list', { name: 'Uploads' });
    const a = within(list).getByRole('listitem', { name: 'a.jpg' });
    expect(within(a).getByRole('progressbar', { name: 'Upload progress of a.jpg' })).toHaveAttribute('value', '0.5');
    expect(within(a).getByText('50%')).toBeInTheDocument();

    await act(async () => {
      pending[1].reject(new ApiError(415, { title: 'Unsupported file', detail: 'notes.txt is not a photo Keepsake can read.' }, 'failed'));
    });
    const bad = within(list).getByRole('listitem', { name: 'notes.txt' });
    expect(within(bad).getByRole('alert')).toHaveTextContent('notes.txt is not a photo Keepsake can read.');
    expect(within(bad).getByText('Failed')).toBeInTheDocument();
    // Sending a file that is not a photo again would be refused again.
    expect(within(bad).queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument();
    expect(onUploaded).not.toHaveBeenCalled();

    // The other files carry on after the failure.
    await act(async () => {
      pending[0].resolve(ok('a.jpg'));
      pending[2].resolve(ok('c.jpg', true));
    });
    expect(within(a).getByText('Uploaded')).toBeInTheDocument();
    expect(within(list).getByRole('listitem', { name: 'c.jpg' })).toHaveTextContent('Already in your library');
    expect(within(list).queryAllByRole('alert')).toHaveLength(1);
    expect(onUploaded).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('status')).toHaveTextContent('3 of 3 done');
  });

  it("retries on its own a file that failed for the server's trouble, not for what it is", async () => {
    const user = userEvent.setup();
    const { uploader, pending } = controllableUploader();
    render(<UploadPanel uploader={uploader} />);
    await user.upload(screen.getByLabelText('Choose photos'), [new File(['x'], 'big.jpg', { type: 'image/jpeg' })]);
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending[0].reject(new ApiError(503, { detail: 'The server\'s storage is read-only; try again later.' }, 'failed')));
    expect(screen.getByRole('alert')).toHaveTextContent("The server's storage is read-only; try again later.");

    await user.click(screen.getByRole('button', { name: 'Retry big.jpg' }));
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    await act(async () => pending[1].resolve(ok('big.jpg')));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText('Uploaded')).toBeInTheDocument();
  });
});
