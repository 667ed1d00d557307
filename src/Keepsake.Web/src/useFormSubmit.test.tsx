import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from './api/endpoints';
import { ErrorMessage } from './components/ErrorMessage';
import { FormFields } from './components/FormFields';
import { mockFetch } from './test/fetchMock';
import { useFormSubmit } from './useFormSubmit';

afterEach(() => vi.unstubAllGlobals());

function NewAlbumForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [name, setName] = useState('');
  const form = useFormSubmit(() => api.albums.create(name), (album) => onCreated(album.name));
  return (
    <form onSubmit={form.onSubmit} aria-label="New album">
      <FormFields form={form}>
        <label htmlFor="name">Name</label>
        <input id="name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={form.invalid('name')} />
        <ErrorMessage error={form.error} what="Could not create the album" />
        <button type="submit">{form.submitting ? 'Creating…' : 'Create'}</button>
      </FormFields>
    </form>
  );
}

describe('useFormSubmit', () => {
  it('shows a validation problem with its title and each field error, and marks the field invalid', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/albums': { status: 400, body: { title: 'Invalid album name', status: 400, errors: { name: ['An album needs a name of 1 to 200 characters.'] } } },
    });
    const onCreated = vi.fn();
    render(<NewAlbumForm onCreated={onCreated} />);

    await user.click(screen.getByRole('button', { name: 'Create' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not create the album: Invalid album name');
    expect(alert).toHaveTextContent('An album needs a name of 1 to 200 characters.');
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Create' })).toBeEnabled();
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('disables the form while the server answers, then hands over the result', async () => {
    const user = userEvent.setup();
    let answer: (response: Response) => void = () => {};
    mockFetch({});
    vi.mocked(fetch).mockImplementationOnce(async () => Response.json({ token: 't', headerName: 'X-XSRF-TOKEN' }));
    vi.mocked(fetch).mockImplementationOnce(() => new Promise<Response>((resolve) => (answer = resolve)));
    const onCreated = vi.fn();
    render(<NewAlbumForm onCreated={onCreated} />);

    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Trip');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    expect(await screen.findByRole('button', { name: 'Creating…' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeDisabled();
    answer(Response.json({ id: 'a1', name: 'Trip' }, { status: 201 }));
    expect(await screen.findByRole('button', { name: 'Create' })).toBeEnabled();
    expect(onCreated).toHaveBeenCalledWith('Trip');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
