import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation, useNavigate } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { useOpenPhoto } from './useOpenPhoto';

const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
let back: () => void = () => {};
let leaveWhenOpened: ((gone: readonly string[]) => void) | null = null;

function Harness() {
  const [open, setOpen, leave] = useOpenPhoto(items);
  const location = useLocation();
  const navigate = useNavigate();
  back = () => navigate(-1);
  // The leave of the render the photo was open in, as an async delete started from the viewer holds it.
  if (open !== null && leaveWhenOpened === null) leaveWhenOpened = leave;
  return (
    <>
      <p data-testid="address">{location.pathname + location.search}</p>
      <p data-testid="open">{open === null ? 'closed' : items[open].id}</p>
      <button type="button" onClick={() => setOpen(1)}>Open b</button>
      <button type="button" onClick={() => setOpen(2)}>Next</button>
      <button type="button" onClick={() => setOpen(null)}>Close</button>
      <button type="button" onClick={() => leave(['b', 'c'])}>Delete b and c</button>
      <button type="button" onClick={() => leave(['a'])}>Delete a</button>
    </>
  );
}

const address = () => screen.getByTestId('address').textContent;
const open = () => screen.getByTestId('open').textContent;

describe('useOpenPhoto', () => {
  it('a removal that finishes after the viewer was closed does not open it again on the next photo', async () => {
    leaveWhenOpened = null;
    const user = userEvent.setup();
    render(<MemoryRouter initialEntries={['/']}><Harness /></MemoryRouter>);
    await user.click(screen.getByRole('button', { name: 'Open b' }));
    await user.click(screen.getByRole('button', { name: 'Close' }));

    act(() => leaveWhenOpened?.(['b']));

    expect(open()).toBe('closed');
    expect(address()).toBe('/');
  });

  it('puts the open photo in the address, replaces it when moving on, and Back closes the viewer', async () => {
    const user = userEvent.setup();
    render(<MemoryRouter initialEntries={['/places/photos?country=IT&city=Rome']}><Harness /></MemoryRouter>);

    await user.click(screen.getByRole('button', { name: 'Open b' }));
    expect(address()).toBe('/places/photos?country=IT&city=Rome&photo=b');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(open()).toBe('c');
    act(() => back());

    expect(open()).toBe('closed');
    expect(address()).toBe('/places/photos?country=IT&city=Rome');
  });

  it('opens the photo a link names, and closing it leaves the page in place', async () => {
    const user = userEvent.setup();
    render(<MemoryRouter initialEntries={['/?photo=c']}><Harness /></MemoryRouter>);
    expect(open()).toBe('c');

    await user.click(screen.getByRole('button', { name: 'Close' }));

    expect(open()).toBe('closed');
    expect(address()).toBe('/');
  });

  it('closing a photo opened here goes back to where the page was', async () => {
    const user = userEvent.setup();
    render(<MemoryRouter initialEntries={['/albums/x']}><Harness /></MemoryRouter>);

    await user.click(screen.getByRole('button', { name: 'Open b' }));
    await user.click(screen.getByRole('button', { name: 'Close' }));

    expect(open()).toBe('closed');
    expect(address()).toBe('/albums/x');
  });

  it('moves on from photos that leave the list to the nearest one left, and leaves other photos alone', async () => {
    const user = userEvent.setup();
    render(<MemoryRouter initialEntries={['/']}><Harness /></MemoryRouter>);

    await user.click(screen.getByRole('button', { name: 'Open b' }));
    await user.click(screen.getByRole('button', { name: 'Delete a' }));
    expect(open()).toBe('b');
    await user.click(screen.getByRole('button', { name: 'Delete b and c' }));

    expect(open()).toBe('a');
    expect(address()).toBe('/?photo=a');
  });
});
