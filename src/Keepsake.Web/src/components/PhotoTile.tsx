import type { CSSProperties, KeyboardEvent, MouseEvent as ReactMouseEvent, PointerEvent } from 'react';
import type { PhotoSummary } from '../api/models';
import { photoLabel } from '../format';
import { CheckIcon, HeartIcon, MissingFileIcon } from '../icons';

export interface PhotoTileProps {
  photo: PhotoSummary;
  style?: CSSProperties;
  selected: boolean;
  /** Selection is offered when given; `range` when shift was held, to select everything since the last one. */
  onToggle?: (id: string, range: boolean) => void;
  onOpen: (event: ReactMouseEvent) => void;
  /** The grid's single tab stop is on one tile; the others are reached with the arrow keys. */
  tabIndex?: number;
  onKeyDown?: (event: KeyboardEvent) => void;
  onFocus?: () => void;
  onPointerDown?: (event: PointerEvent) => void;
  onImageError?: () => void;
}

/**
 * The thumbnails as a `srcset` by width, for a tile `tileWidth` CSS pixels wide: the browser takes the smallest that
 * fills the tile at the screen's density (the large one on a 2× screen). None when there is one size, or no width.
 */
export function thumbnailSources(photo: PhotoSummary, tileWidth: unknown): { srcSet?: string; sizes?: string } {
  if (photo.thumbnails.length < 2 || typeof tileWidth !== 'number') return {};
  return { srcSet: photo.thumbnails.map((t) => `${t.url} ${t.width}w`).join(', '), sizes: `${Math.ceil(tileWidth)}px` };
}

/** One photo of a grid: its thumbnail (or the missing-file placeholder), its favourite heart and its selection circle. */
export function PhotoTile({ photo, style, selected, onToggle, onOpen, tabIndex, onKeyDown, onFocus, onPointerDown, onImageError }: PhotoTileProps) {
  const label = photoLabel(photo) + (photo.favorite ? ', favourite' : '');
  return (
    <li className={['tile', selected ? 'selected' : '', photo.missing ? 'missing' : ''].filter(Boolean).join(' ')} style={style}>
      <button type="button" className="tile-open" aria-label={photo.missing ? `File missing: ${label}` : label} data-photo-id={photo.id}
        tabIndex={tabIndex} onClick={onOpen} onKeyDown={onKeyDown} onFocus={onFocus} onPointerDown={onPointerDown}
        // A long press selects on a phone; its context menu would cover the photo.
        onContextMenu={onToggle ? (e) => (e.nativeEvent as { pointerType?: string }).pointerType === 'touch' && e.preventDefault() : undefined}>
        {photo.missing ? (
          // Its files are gone: asking for them would only draw a broken image.
          <span className="tile-missing" aria-hidden="true">
            <MissingFileIcon />
            File missing
          </span>
        ) : (
          <img src={photo.thumbnailUrl} {...thumbnailSources(photo, style?.width)} alt="" loading="lazy" decoding="async" width={photo.width} height={photo.height} draggable={false} onError={onImageError} />
        )}
      </button>
      {photo.favorite ? (
        <span className="tile-favorite" title="Favourite">
          <HeartIcon filled />
        </span>
      ) : null}
      {onToggle ? (
        <label className="tile-check">
          <input type="checkbox" checked={selected} tabIndex={tabIndex === undefined ? undefined : -1}
            // A checkbox's change comes from its click, which says whether shift was held.
            onChange={(e) => onToggle(photo.id, (e.nativeEvent as MouseEvent).shiftKey === true)} aria-label={`Select ${label.replace(/^Photo/, 'photo')}`} />
          <span className="tile-check-box" aria-hidden="true"><CheckIcon /></span>
        </label>
      ) : null}
    </li>
  );
}
