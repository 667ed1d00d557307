import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import Supercluster, { type AnyProps, type ClusterProperties } from 'supercluster';
import { api } from '../api/endpoints';
import type { MapMarker, MapSettings, PhotoSummary } from '../api/models';
import { ErrorMessage } from '../components/ErrorMessage';
import { Viewer } from '../components/Viewer';
import './MapPage.css';

/** A photo on the map; `order` is its place in the markers, newest first. */
type Point = { id: string; order: number };
type Index = Supercluster<Point, AnyProps>;

/** Beyond this zoom photos are no longer grouped: what is still together was taken in the same spot. */
const clusterUpTo = 17;
/** The most photos of one spot listed (the server's most per request). */
const mostListed = 100;
/** The most single photos drawn with their thumbnails at once; the rest stay dots until the user zooms in. */
const mostThumbnails = 100;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The provider's credit as Leaflet shows it (HTML): the text, linked when a URL is set, never markup from the settings. */
function credit(settings: MapSettings) {
  const text = escapeHtml(settings.attribution ?? '');
  return settings.attributionUrl ? `<a href="${escapeHtml(settings.attributionUrl)}" rel="noreferrer">${text}</a>` : text;
}

async function loadAllMarkers(): Promise<MapMarker[]> {
  const markers: MapMarker[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.map.markers(cursor);
    markers.push(...page.markers);
    cursor = page.nextCursor;
  } while (cursor);
  return markers;
}

/** What the tile layer below reaches of Leaflet's own (undocumented) tile bookkeeping. */
interface TileBookkeeping {
  _map: L.Map | null;
  _tiles: Record<string, { el: HTMLImageElement; coords: L.Coords }>;
  _tileZoom: number;
  fire(type: string, data: object): void;
}

const grid = L.GridLayer.prototype as unknown as {
  _removeTile(this: TileBookkeeping, key: string): void;
  _tileReady(this: TileBookkeeping, coords: L.Coords, err: unknown, tile: HTMLImageElement | undefined): void;
};

/**
 * Leaflet's tile layer, except how it stops loading a tile it no longer needs: Leaflet points the image at a data: URL,
 * which the Content-Security-Policy refuses (images come from Keepsake and the tile server only) and the browser
 * reports as an error; taking the src away stops the load as well.
 */
const TileLayer = L.TileLayer.extend({
  _abortLoading(this: TileBookkeeping) {
    for (const [key, { el, coords }] of Object.entries(this._tiles)) {
      if (coords.z === this._tileZoom) continue;
      el.onload = null;
      el.onerror = null;
      if (!el.complete) {
        el.removeAttribute('src');
        el.remove();
        delete this._tiles[key];
        this.fire('tileabort', { tile: el, coords });
      }
    }
  },
  _removeTile(this: TileBookkeeping, key: string) {
    const tile = this._tiles[key];
    if (!tile) return;
    tile.el.removeAttribute('src');
    grid._removeTile.call(this, key);
  },
  _tileReady(this: TileBookkeeping, coords: L.Coords, err: unknown, tile: HTMLImageElement | undefined) {
    if (!this._map || (tile && !tile.hasAttribute('src'))) return;
    grid._tileReady.call(this, coords, err, tile);
  },
}) as unknown as new (url: string, options: L.TileLayerOptions) => L.TileLayer;

const dotIcon = L.divIcon({ className: 'map-dot', iconSize: [16, 16] });

const thumbnailIcon = (photo: PhotoSummary) =>
  L.divIcon({ className: 'map-photo', html: `<img src="${escapeHtml(photo.thumbnailUrl)}" alt="">`, iconSize: [48, 48] });

const photos = (n: number) => `${n} ${n === 1 ? 'photo' : 'photos'}`;

/** Where the user's photos were taken: clusters that open into their photos, photos that open in the viewer. */
export default function MapPage({ settings }: { settings: MapSettings }) {
  const element = useRef<HTMLDivElement>(null);
  const [markers, setMarkers] = useState<MapMarker[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [group, setGroup] = useState<{ photos: PhotoSummary[]; total: number } | null>(null);
  const [viewing, setViewing] = useState<{ items: PhotoSummary[]; index: number } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    loadAllMarkers().then(
      (all) => live && setMarkers(all),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  /** Runs a request for photos; a failure is shown above the map. */
  const withPhotos = useCallback(async (ids: string[], then: (items: PhotoSummary[]) => void) => {
    setActionError(null);
    try {
      then((await api.map.photos(ids)).items);
    } catch (e) {
      setActionError(e);
    }
  }, []);

  useEffect(() => {
    if (!markers || !element.current || !settings.tileUrl) return;
    const map = L.map(element.current, { worldCopyJump: true, minZoom: 1 });
    new TileLayer(settings.tileUrl, { attribution: credit(settings), maxZoom: 19 }).addTo(map);
    const layer = L.layerGroup().addTo(map);
    const index: Index = new Supercluster<Point>({ radius: 60, maxZoom: clusterUpTo });
    index.load(markers.map((m, order) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [m.lon, m.lat] }, properties: { id: m.id, order } })));
    const thumbnails = new Map<string, PhotoSummary>();

    function openPhoto(id: string) {
      const known = thumbnails.get(id);
      if (known) setViewing({ items: [known], index: 0 });
      else void withPhotos([id], (items) => items.length > 0 && setViewing({ items, index: 0 }));
    }

    function openCluster(clusterId: number, at: L.LatLng) {
      const zoom = index.getClusterExpansionZoom(clusterId);
      if (zoom <= clusterUpTo && zoom > map.getZoom()) {
        map.setView(at, zoom);
        return;
      }
      // Taken in one spot: zooming would not part them, so list them (the newest hundred: one request's worth).
      const leaves = index.getLeaves(clusterId, Infinity).sort((a, b) => a.properties.order - b.properties.order);
      const ids = leaves.slice(0, mostListed).map((leaf) => leaf.properties.id);
      void withPhotos(ids, (items) => setGroup({ photos: items, total: leaves.length }));
    }

    function draw() {
      const bounds = map.getBounds();
      const clusters = index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], Math.round(map.getZoom()));
      layer.clearLayers();
      // The photos drawn alone whose thumbnails are not known yet: they show as dots until they are.
      const singles = new Map<string, L.Marker>();
      for (const feature of clusters) {
        const [lon, lat] = feature.geometry.coordinates;
        const at = L.latLng(lat, lon);
        if ('cluster' in feature.properties && feature.properties.cluster) {
          const { cluster_id: clusterId, point_count: count } = feature.properties as ClusterProperties;
          const size = count < 100 ? 40 : count < 10000 ? 48 : 56;
          L.marker(at, {
            icon: L.divIcon({ className: 'map-cluster', html: `<span>${count}</span>`, iconSize: [size, size] }),
            title: photos(count),
            alt: photos(count),
            keyboard: true,
          })
            .on('click', () => openCluster(clusterId, at))
            .addTo(layer);
        } else {
          const id = (feature.properties as Point).id;
          const known = thumbnails.get(id);
          const marker = L.marker(at, { icon: known ? thumbnailIcon(known) : dotIcon, title: 'Photo', alt: 'Photo', keyboard: true })
            .on('click', () => openPhoto(id))
            .addTo(layer);
          if (!known) singles.set(id, marker);
        }
      }
      if (singles.size > 0 && singles.size <= mostThumbnails) {
        api.map.photos([...singles.keys()]).then(
          (answer) =>
            answer.items.forEach((p) => {
              thumbnails.set(p.id, p);
              singles.get(p.id)?.setIcon(thumbnailIcon(p));
            }),
          // A thumbnail that does not load leaves its dot: the photo still opens on a click.
          () => undefined,
        );
      }
    }

    // Setting the first view ends with a moveend, which draws the markers the first time.
    map.on('moveend', draw);
    if (markers.length > 0) {
      map.fitBounds(L.latLngBounds(markers.map((m) => [m.lat, m.lon])), { padding: [32, 32], maxZoom: 12 });
    } else {
      map.setView([20, 0], 2);
    }
    return () => {
      map.remove();
    };
  }, [markers, settings, withPhotos]);

  return (
    <section className="page map-page">
      <h1>Map</h1>
      {error ? <ErrorMessage error={error} what="Could not load the places of your photos" onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {actionError ? <ErrorMessage error={actionError} what="Could not load those photos" /> : null}
      {markers === null && !error ? <p className="muted" role="status">Loading the map…</p> : null}
      {markers !== null ? (
        <p className="muted" role="status">
          {markers.length === 0 ? 'None of your photos has a place yet.' : `${photos(markers.length)} with a place.`}
        </p>
      ) : null}
      <div ref={element} className="map" role="region" aria-label="Map of your photos" />
      {group ? (
        <div className="map-group">
          <div className="page-head">
            <h2>
              {photos(group.total)} taken here{group.total > group.photos.length ? `, the ${group.photos.length} latest shown` : ''}
            </h2>
            <button type="button" className="button" onClick={() => setGroup(null)}>
              Close
            </button>
          </div>
          <ul className="map-group-photos">
            {group.photos.map((photo, i) => (
              <li key={photo.id}>
                <button type="button" className="map-group-photo" onClick={() => setViewing({ items: group.photos, index: i })}>
                  <img src={photo.thumbnailUrl} alt={`Photo ${i + 1} of ${group.photos.length}`} loading="lazy" />
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {viewing ? (
        <Viewer
          items={viewing.items}
          index={viewing.index}
          onIndexChange={(index) => setViewing({ ...viewing, index })}
          onClose={() => setViewing(null)}
          loadDetails={api.photos.get}
        />
      ) : null}
    </section>
  );
}
