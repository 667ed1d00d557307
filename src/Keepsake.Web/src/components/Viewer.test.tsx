import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { PhotoDetails, PhotoSummary } from '../api/models';
import { Viewer } from './Viewer';

const summaries: PhotoSummary[] = ['p1', 'p2', 'p3'].map((id, i) => ({
  id, width: 4000, height: 3000, takenAt: `2024-05-0${i + 1}T10:00:00`, timelineAt: `2024-05-0${i + 1}T10:00:00Z`,
  thumbnailUrl: `/api/photos/${id}/thumbnail`, thumbnails: [], previewUrl: `/api/photos/${id}/preview`, missing: false, favorite: false, archived: false,
}));

function details(id: string): PhotoDetails {
  return {
    id, fileName: `${id}.jpg`, format: 'jpeg', sizeBytes: 2_500_000, width: 4000, height: 3000, orientation: 1,
    takenAt: id === 'p3' ? null : '2024-05-01T10:00:00+02:00', takenAtSource: id === 'p3' ? null : id === 'p2' ? 'file-name' : 'exif',
    uploadedAt: '2024-06-01T08:00:00Z', timelineAt: '2024-05-01T08:00:00Z',
    camera: id === 'p3'
      ? { make: null, model: null, lens: null, exposureTime: null, fNumber: null, iso: null, focalLengthMm: null }
      : { make: 'FUJIFILM', model: 'X-T4', lens: 'XF23mmF2 R WR', exposureTime: '1/250', fNumber: 2, iso: 160, focalLengthMm: 23 },
    location: id === 'p1' ? { latitude: 52.3676, longitude: 4.9041 } : null,
    place: id === 'p1' ? { city: 'Amsterdam', region: 'North Holland', country: 'Netherlands' } : null,
    description: id === 'p1' ? 'Canal at dawn' : null,
    thumbnailUrl: `/api/photos/${id}/thumbnail`, previewUrl: `/api/photos/${id}/preview`, originalUrl: `/api/photos/${id}/original`, missing: false, favorite: false, archived: false,
    weather: id === 'p1'
      ? {
        hour: '2024-05-01T08:00:00Z', temperature: { value: 18.5, unit: '°C' }, weatherCode: 63, condition: 'Moderate rain', icon: 'rain',
        precipitation: { value: 1.5, unit: 'mm' }, cloudCover: { value: 57, unit: '%' }, wind: { value: 9.25, unit: 'km/h' },
      }
      : null,
  };
}

function Harness({ onDelete, start = 0 }: { onDelete?: (id: string) => Promise<void>; start?: number }) {
  const [index, setIndex] = useState<number | null>(start);
  return (
    <>
      <button type="button" onClick={() => setIndex(start)}>Open</button>
      {index !== null ? (
        <Viewer items={summaries} index={index} onIndexChange={setIndex} onClose={() => setIndex(null)}
          loadDetails={async (id) => details(id)} onDelete={onDelete} />
      ) : null}
    </>
  );
}

describe('Viewer', () => {
  it('is a labelled modal dialog showing the metadata', async () => {
    render(<Harness />);
    const dialog = screen.getByRole('dialog', { name: 'Photo viewer' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();

    expect(await screen.findByRole('definition', { name: 'Taken' })).toHaveTextContent('1 May 2024, 10:00 · from the camera');
    expect(screen.getByRole('definition', { name: 'Camera' })).toHaveTextContent('FUJIFILM X-T4');
    expect(screen.getByRole('definition', { name: 'Lens' })).toHaveTextContent('XF23mmF2 R WR');
    expect(screen.getByRole('definition', { name: 'Exposure' })).toHaveTextContent('1/250 s · f/2 · ISO 160 · 23 mm');
    const location = screen.getByRole('definition', { name: 'Location' });
    expect(location).toHaveTextContent('52.36760, 4.90410');
    expect(within(location).getByRole('link')).toHaveAttribute('href', expect.stringMatching(/^https:\/\/www\.openstreetmap\.org\/\?mlat=52\.36760&mlon=4\.90410/));
    expect(screen.getByRole('link', { name: 'Download original' })).toHaveAttribute('href', '/api/photos/p1/original');
    expect(screen.getByRole('img')).toHaveAttribute('src', '/api/photos/p1/preview');
  });

  it('names the place the photo was taken in, and has no place row for a photo without one', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    expect(await screen.findByRole('definition', { name: 'Place' })).toHaveTextContent('Amsterdam, North Holland, Netherlands');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'p2.jpg' })).toBeInTheDocument();
    expect(screen.queryByRole('definition', { name: 'Place' })).not.toBeInTheDocument();
  });

  it('says where a date came from, and shows no row of Unknown for what a photo does not say', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await screen.findByRole('definition', { name: 'Taken' });

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'p2.jpg' })).toBeInTheDocument();
    expect(screen.getByRole('definition', { name: 'Taken' })).toHaveTextContent('· from the file name');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'p3.jpg' })).toBeInTheDocument();

    for (const row of ['Taken', 'Camera', 'Lens', 'Exposure', 'Location']) {
      expect(screen.queryByRole('definition', { name: row })).not.toBeInTheDocument();
    }
    expect(screen.getByRole('definition', { name: 'Size' })).toBeInTheDocument();
    expect(screen.queryByText('Unknown')).not.toBeInTheDocument();
  });

  it('shows the weather of the hour when the photo has it, and no weather row when it has none', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const weather = await screen.findByRole('definition', { name: 'Weather' });
    expect(weather).toHaveTextContent('18.5 °C, Moderate rain');
    expect(weather).toHaveTextContent('1.5 mm precipitation · 57 % cloud · wind 9.3 km/h');
    expect(weather.querySelector('svg')).toHaveAttribute('data-icon', 'rain');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'p2.jpg' })).toBeInTheDocument();
    expect(screen.queryByRole('definition', { name: 'Weather' })).not.toBeInTheDocument();
  });

  it('shows a photo whose file is missing as a placeholder, offers no download, and lets the owner delete it', async () => {
    const user = userEvent.setup();
    const onDelete = vi.fn(async () => {});
    render(<Viewer items={[{ ...summaries[0], missing: true }]} index={0} onIndexChange={() => {}} onClose={() => {}}
      loadDetails={async (id) => ({ ...details(id), missing: true })} onDelete={onDelete} />);

    expect(screen.getByRole('note', { name: 'File missing' })).toHaveTextContent("This photo's file is no longer in storage, so it cannot be shown or downloaded. You can delete the photo.");
    expect(await screen.findByRole('heading', { name: 'p1.jpg' })).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Download original' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Delete photo' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete photo' }));
    expect(onDelete).toHaveBeenCalledWith('p1');
  });

  it('moves with ArrowLeft/ArrowRight and the buttons, and Esc closes and returns focus', async () => {
    const user = userEvent.setup();
    render(<Harness start={1} />);
    const img = () => screen.getByRole('dialog', { name: 'Photo viewer' }).querySelector('img')!;
    expect(img()).toHaveAttribute('src', '/api/photos/p2/preview');

    await user.keyboard('{ArrowRight}');
    expect(img()).toHaveAttribute('src', '/api/photos/p3/preview');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await user.keyboard('{ArrowRight}');
    expect(img()).toHaveAttribute('src', '/api/photos/p3/preview');

    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(img()).toHaveAttribute('src', '/api/photos/p1/preview');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(img()).toHaveAttribute('src', '/api/photos/p2/preview');
    expect(await screen.findByRole('heading', { name: 'p2.jpg' })).toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // Focus goes back to what opened it.
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open' })).toHaveFocus();
  });

  it('deletes only after confirmation', async () => {
    const user = userEvent.setup();
    const onDelete = vi.fn(async () => {});
    render(<Harness onDelete={onDelete} />);
    await user.click(await screen.findByRole('button', { name: 'Delete photo' }));
    expect(onDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Delete photo' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete photo' }));
    await waitFor(() => expect(onDelete).toHaveBeenCalledWith('p1'));
  });

  it('still closes with Esc when focus has fallen out of it to the page', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await screen.findByRole('definition', { name: 'Taken' });
    (document.activeElement as HTMLElement).blur();
    expect(document.activeElement).toBe(document.body);

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('offers no delete without an onDelete (share links)', async () => {
    render(<Harness />);
    await screen.findByRole('definition', { name: 'Taken' });
    expect(screen.queryByRole('button', { name: 'Delete photo' })).not.toBeInTheDocument();
  });
});
