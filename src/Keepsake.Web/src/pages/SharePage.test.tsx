import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { SharePage } from './SharePage';

afterEach(() => vi.unstubAllGlobals());

function renderShare() {
  return render(
    <MemoryRouter initialEntries={['/s/tok123']}>
      <Routes>
        <Route path="/s/:token" element={<SharePage />} />
      </Routes>
    </MemoryRouter>,
  );
}

const photos = {
  items: [{ id: 'p1', width: 100, height: 80, takenAt: '2024-07-01T10:00:00', timelineAt: '2024-07-01T10:00:00Z', thumbnailUrl: '/api/s/tok123/photos/p1/thumbnail', thumbnails: [{ url: '/api/s/tok123/photos/p1/thumbnail', width: 100, height: 80 }], previewUrl: '/api/s/tok123/photos/p1/preview', missing: false, favorite: null, archived: null }],
  nextCursor: null,
};

describe('SharePage', () => {
  it('asks for the password, shows a wrong one, and opens the album with the right one', async () => {
    const user = userEvent.setup();
    let unlocked = false;
    const { calls } = mockFetch({
      'GET /api/s/tok123': () => (unlocked ? { body: { name: 'Holiday', photoCount: 1, coverPhotoId: 'p1' } } : { status: 401, body: { title: 'Password required', passwordRequired: true } }),
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/s/tok123/unlock': (call) => {
        if ((call.body as { password: string }).password === 'secret') {
          unlocked = true;
          return { status: 204 };
        }
        return { status: 401, body: { title: 'Wrong password', detail: 'That is not the password of this link.', passwordRequired: true } };
      },
      'GET /api/s/tok123/photos': { body: photos },
    });
    renderShare();

    const password = await screen.findByLabelText('Password');
    await user.type(password, 'nope');
    await user.click(screen.getByRole('button', { name: 'Open album' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That is not the password of this link.');

    await user.clear(password);
    await user.type(password, 'secret');
    await user.click(screen.getByRole('button', { name: 'Open album' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Holiday' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Photo taken 1 Jul 2024, 10:00' })).toBeInTheDocument();
    // Nothing of the owner's app is reachable from here.
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(calls.filter((c) => c.url.startsWith('/api/') && !c.url.startsWith('/api/s/') && c.url !== '/api/antiforgery')).toEqual([]);
  });

  it('explains a missing or revoked link', async () => {
    mockFetch({ 'GET /api/s/tok123': { status: 404, body: { title: 'Link not found', detail: 'This link does not exist, has expired or was revoked.' } } });
    renderShare();
    expect(await screen.findByRole('heading', { name: 'Link not found' })).toBeInTheDocument();
    expect(screen.getByText('This link does not exist, has expired or was revoked.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
  });
});
