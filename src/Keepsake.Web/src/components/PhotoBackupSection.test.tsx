import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhotoBackupStatus } from '../api/models';
import { mockFetch } from '../test/fetchMock';
import { PhotoBackupSection } from './PhotoBackupSection';

afterEach(() => vi.unstubAllGlobals());

const off: PhotoBackupStatus = {
  enabled: false, target: null, copies: 0, copiedBytes: 0, generation: 0, lastRunAt: null, lastRunFailed: 0, lastSuccessAt: null, problem: null,
};

describe('PhotoBackupSection', () => {
  it('warns that the photos have no second copy while no target is set, and names the setting', async () => {
    mockFetch({ 'GET /api/admin/photo-backup': { body: off } });
    render(<PhotoBackupSection />);

    const warning = await screen.findByRole('alert');
    expect(warning).toHaveTextContent('The photos have no second copy.');
    expect(warning).toHaveTextContent('Backups:Photos:Provider');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('shows where the copies go, the last complete backup and its generation once a target is set', async () => {
    mockFetch({
      'GET /api/admin/photo-backup': {
        body: {
          ...off, enabled: true, target: 'folder /mnt/usb/keepsake', copies: 3, copiedBytes: 2 * 1024 * 1024, generation: 7,
          lastRunAt: '2030-01-02T10:10:00Z', lastSuccessAt: '2030-01-02T10:10:00Z',
        },
      },
    });
    render(<PhotoBackupSection />);

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent(/Last complete backup .*2030.* \(generation 7\)\./);
    expect(screen.getByText('folder /mnt/usb/keepsake')).toBeInTheDocument();
    expect(screen.queryByText(/no second copy/)).not.toBeInTheDocument();
  });

  it('says when no run has copied every original yet, and what the last run could not copy', async () => {
    mockFetch({
      'GET /api/admin/photo-backup': { body: { ...off, enabled: true, target: 'bucket copies at https://s3.example', generation: 1, lastRunFailed: 2 } },
    });
    render(<PhotoBackupSection />);

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('No photo backup has copied every original yet.');
    expect(status).toHaveTextContent('could not copy 2 original(s)');
  });
});
