import type { Weather } from '../api/models';
import { formatMonth, formatWeather } from '../format';
import { WeatherIcon } from '../icons';
import type { Block, PlacedBlock } from '../timeline/layout';
import type { useGridInteraction } from '../timeline/useGridInteraction';
import { PhotoTile } from './PhotoTile';

interface TimelineBlocksProps {
  drawn: PlacedBlock[];
  weatherOf?: (photoId: string) => Weather | undefined;
  tileProps: ReturnType<typeof useGridInteraction>['tileProps'];
  onImageError?: () => void;
}

type Piece = { day: null; placed: PlacedBlock } | { day: string; label: string; blocks: PlacedBlock[] };

/**
 * The pieces of the timeline near the window, each at its height. A day's heading and rows drawn are wrapped in a
 * region named by the day, as in the paged grid, so a screen reader can move by day.
 */
export function TimelineBlocks({ drawn, weatherOf, tileProps, onImageError }: TimelineBlocksProps) {
  const pieces: Piece[] = [];
  for (const placed of [...drawn].sort((a, b) => a.top - b.top)) {
    const { block } = placed;
    if (block.kind !== 'day' && block.kind !== 'row') {
      pieces.push({ day: null, placed });
      continue;
    }
    const last = pieces[pieces.length - 1];
    if (last && last.day === block.day) last.blocks.push(placed);
    else pieces.push({ day: block.day, label: block.kind === 'day' ? block.group.label : block.dayLabel, blocks: [placed] });
  }
  return pieces.map((piece) => {
    if (piece.day === null) return <DrawnBlock key={piece.placed.block.key} block={piece.placed.block} top={piece.placed.top} {...{ weatherOf, tileProps, onImageError }} />;
    const top = piece.blocks[0].top;
    const end = piece.blocks[piece.blocks.length - 1];
    return (
      <section key={`s-${piece.day}`} className="timeline-block" style={{ top, height: end.top + end.block.height - top }} aria-label={piece.label}>
        {piece.blocks.map(({ block, top: at }) => (
          <DrawnBlock key={block.key} block={block} top={at - top} {...{ weatherOf, tileProps, onImageError }} />
        ))}
      </section>
    );
  });
}

interface DrawnBlockProps extends Omit<TimelineBlocksProps, 'drawn'> {
  block: Block;
  top: number;
}

function DrawnBlock({ block, top, weatherOf, tileProps, onImageError }: DrawnBlockProps) {
  const style = { top, height: block.height };
  switch (block.kind) {
    case 'month':
      return <h2 className="month-heading timeline-block" style={style}>{formatMonth(block.month)}</h2>;
    case 'day':
      return <DayHeading block={block} style={style} weatherOf={weatherOf} />;
    case 'placeholder':
      return <div className="month-placeholder timeline-block" style={style} aria-hidden="true" />;
    case 'row':
      return (
        <ul className="justified-row timeline-block" style={style} role="list">
          {block.tiles.map((tile) => (
            <PhotoTile key={tile.photo.id} photo={tile.photo} style={{ left: tile.left, width: tile.width, height: tile.height }}
              onImageError={onImageError} {...tileProps(tile.photo)} />
          ))}
        </ul>
      );
  }
}

function DayHeading({ block, style, weatherOf }: { block: Extract<Block, { kind: 'day' }>; style: { top: number; height: number }; weatherOf?: (id: string) => Weather | undefined }) {
  const weather = weatherOf ? block.group.items.map((p) => weatherOf(p.id)).find((w) => w !== undefined) : undefined;
  return (
    <div className="day-head timeline-block" style={style}>
      <h3 className="day-heading">{block.group.label}</h3>
      {weather ? (
        <span className="day-weather" title="Weather where and when the day's first photo with a place was taken">
          <WeatherIcon name={weather.icon} /> {formatWeather(weather)}
        </span>
      ) : null}
    </div>
  );
}
