import { client, linkTo, unwrap } from './client';
import type { Credentials, NewDeviceKey, NewShare, PhotoDetails, PhotoPage } from './models';
import type { Schemas } from './client';

/** Answers where a 401 is expected (signing in, share links): the caller decides, not the login redirect. */
const expectingUnauthorized = { allowUnauthorized: true };

/** One page of photos after `cursor` (null: the first page); the timeline, an album and a share link page alike. */
export type PageLoader = (cursor: string | null) => Promise<PhotoPage>;

const after = (cursor: string | null) => ({ cursor: cursor ?? undefined });

/** One place of the owner's photos, as the Places page links to it. */
export interface PlaceRef {
  country: string;
  city: string;
  region?: string | null;
}

/** What a search asks for: its words and dates (`q`), and the filters the server takes beside them. */
export interface SearchFilters {
  q?: string;
  favorite?: boolean;
  type?: string;
  from?: string;
  to?: string;
  album?: string;
}

/** The owner's three views of their photos. */
export type TimelineView = 'timeline' | 'favorites' | 'archive';

const timelineFilters: Record<TimelineView, { favorite?: boolean; archived?: boolean }> = {
  timeline: {},
  favorites: { favorite: true },
  archive: { archived: true },
};

/** Every call the web app makes, named for what it does; paths, bodies and answers are typed from openapi.json. */
export const api = {
  setup: {
    status: () => unwrap(client.GET('/api/setup')),
    createOwner: (body: Credentials) => unwrap(client.POST('/api/setup', { body }), expectingUnauthorized),
  },
  auth: {
    login: (body: Credentials) => unwrap(client.POST('/api/auth/login', { body }), expectingUnauthorized),
    logout: () => unwrap(client.POST('/api/auth/logout'), expectingUnauthorized),
    logoutEverywhere: () => unwrap(client.POST('/api/auth/logout-everywhere'), expectingUnauthorized),
    me: () => unwrap(client.GET('/api/auth/me'), expectingUnauthorized),
    changePassword: (body: Schemas['ChangePasswordDto']) => unwrap(client.POST('/api/auth/password', { body })),
  },
  keys: {
    list: () => unwrap(client.GET('/api/auth/keys')),
    create: (body: NewDeviceKey) => unwrap(client.POST('/api/auth/keys', { body })),
    revoke: (id: string) => unwrap(client.DELETE('/api/auth/keys/{id}', { params: { path: { id } } })),
  },
  me: {
    erase: (password: string) => unwrap(client.POST('/api/me/erase', { body: { password } })),
    exportUrl: linkTo('/api/me/export'),
  },
  admin: {
    users: () => unwrap(client.GET('/api/admin/users')),
    createUser: (body: Schemas['CreateUserDto']) => unwrap(client.POST('/api/admin/users', { body })),
    updateUser: (id: string, body: Schemas['UpdateUserDto']) => unwrap(client.PUT('/api/admin/users/{id}', { params: { path: { id } }, body })),
    signOutUser: (id: string) => unwrap(client.POST('/api/admin/users/{id}/sign-out', { params: { path: { id } } })),
    resetPassword: (id: string, password: string) =>
      unwrap(client.POST('/api/admin/users/{id}/password', { params: { path: { id } }, body: { password } })),
    eraseUser: (id: string) => unwrap(client.DELETE('/api/admin/users/{id}', { params: { path: { id } } })),
    weather: () => unwrap(client.GET('/api/admin/weather')),
    usage: () => unwrap(client.GET('/api/admin/usage')),
    photoBackup: () => unwrap(client.GET('/api/admin/photo-backup')),
  },
  photos: {
    /** The main timeline (archive left out), the favourites, or the archive. */
    pages: (view: TimelineView): PageLoader => (cursor) =>
      unwrap(client.GET('/api/photos', { params: { query: { ...after(cursor), ...timelineFilters[view] } } })),
    /** The months of a view, newest first, with how many photos each holds. */
    buckets: (view: TimelineView) => unwrap(client.GET('/api/timeline/buckets', { params: { query: timelineFilters[view] } })),
    /** The pages of one month (yyyy-MM, as the buckets name it) of a view. */
    month: (view: TimelineView, month: string): PageLoader => (cursor) =>
      unwrap(client.GET('/api/photos', { params: { query: { ...after(cursor), ...timelineFilters[view], month, limit: 500 } } })),
    favorite: (id: string, on: boolean) =>
      on
        ? unwrap(client.PUT('/api/photos/{id}/favorite', { params: { path: { id } } }))
        : unwrap(client.DELETE('/api/photos/{id}/favorite', { params: { path: { id } } })),
    archive: (id: string, on: boolean) =>
      on
        ? unwrap(client.PUT('/api/photos/{id}/archive', { params: { path: { id } } }))
        : unwrap(client.DELETE('/api/photos/{id}/archive', { params: { path: { id } } })),
    /** What the owner wrote about the photo; blank clears it. */
    describe: async (id: string, description: string): Promise<void> => {
      await unwrap(client.PUT('/api/photos/{id}/description', { params: { path: { id } }, body: { description } }));
    },
    get: (id: string): Promise<PhotoDetails> => unwrap(client.GET('/api/photos/{id}', { params: { path: { id } } })),
    delete: (id: string) => unwrap(client.DELETE('/api/photos/{id}', { params: { path: { id } } })),
    /** Several photos to the trash at once, all or none. */
    deleteMany: (photoIds: string[]) => unwrap(client.POST('/api/trash', { body: { photoIds } })),
    /** Photos taken on `date` (the browser's own today, yyyy-MM-dd) in earlier years. */
    memories: (date: string) => unwrap(client.GET('/api/memories', { params: { query: { date } } })),
    weather: (ids: string[]) => unwrap(client.GET('/api/weather/photos', { params: { query: { id: ids } } })),
  },
  trash: {
    /** A page of the trash, as photos for the grid, with when each goes for good. */
    page: (cursor: string | null) => unwrap(client.GET('/api/trash', { params: { query: after(cursor) } })),
    restore: (photoIds: string[]) => unwrap(client.POST('/api/trash/restore', { body: { photoIds } })),
    deleteForGood: (id: string) => unwrap(client.DELETE('/api/trash/{id}', { params: { path: { id } } })),
    empty: () => unwrap(client.POST('/api/trash/empty')),
  },
  albums: {
    list: () => unwrap(client.GET('/api/albums')),
    create: (name: string) => unwrap(client.POST('/api/albums', { body: { name } })),
    get: (id: string) => unwrap(client.GET('/api/albums/{id}', { params: { path: { id } } })),
    rename: (id: string, name: string) => unwrap(client.PUT('/api/albums/{id}', { params: { path: { id } }, body: { name } })),
    delete: (id: string) => unwrap(client.DELETE('/api/albums/{id}', { params: { path: { id } } })),
    photos: (id: string): PageLoader => (cursor) =>
      unwrap(client.GET('/api/albums/{id}/photos', { params: { path: { id }, query: after(cursor) } })),
    addPhotos: (id: string, photoIds: string[]) => unwrap(client.POST('/api/albums/{id}/photos', { params: { path: { id } }, body: { photoIds } })),
    removePhoto: (id: string, photoId: string) =>
      unwrap(client.DELETE('/api/albums/{id}/photos/{photoId}', { params: { path: { id, photoId } } })),
    /** The album's originals as one zip, for a plain link (the browser downloads it with the session's cookie). */
    downloadUrl: (id: string) => linkTo('/api/albums/{id}/download', { id }),
    setCover: (id: string, photoId: string) => unwrap(client.PUT('/api/albums/{id}/cover', { params: { path: { id } }, body: { photoId } })),
    shares: (id: string) => unwrap(client.GET('/api/albums/{id}/shares', { params: { path: { id } } })),
    share: (id: string, body: NewShare) => unwrap(client.POST('/api/albums/{id}/shares', { params: { path: { id } }, body })),
    revokeShare: (shareId: string) => unwrap(client.DELETE('/api/shares/{shareId}', { params: { path: { shareId } } })),
  },
  places: {
    /** A page of the places of the owner's photos, by country, then city. */
    page: (cursor: string | null) => unwrap(client.GET('/api/places', { params: { query: after(cursor) } })),
    /** The photos of one place, newest first; `region` tells apart towns of one name. */
    photos: (place: PlaceRef): PageLoader => (cursor) =>
      unwrap(client.GET('/api/places/photos', { params: { query: { ...after(cursor), ...place, region: place.region ?? undefined } } })),
  },
  search: {
    /** The owner's photos that match, most relevant first, page after page. */
    pages: (filters: SearchFilters): PageLoader => (cursor) =>
      unwrap(client.GET('/api/search', { params: { query: { ...after(cursor), ...filters } } })),
  },
  map: {
    /** Whether the map is on, and its tile server; answered even when it is off. */
    settings: () => unwrap(client.GET('/api/map/settings')),
    /** One page of the places of the user's photos (the server's 5 000 a page: pages of 20 000 were not faster for 100 000 photos). */
    markers: (cursor: string | null) => unwrap(client.GET('/api/map/markers', { params: { query: after(cursor) } })),
    /** The photos of some markers (at most 100), for their thumbnails and the viewer. */
    photos: (ids: string[]) => unwrap(client.GET('/api/map/photos', { params: { query: { id: ids } } })),
  },
  /** What a visitor of a share link sees; a 401 there asks for the link's password. */
  shared: {
    album: (token: string) => unwrap(client.GET('/api/s/{token}', { params: { path: { token } } }), expectingUnauthorized),
    unlock: (token: string, password: string) =>
      unwrap(client.POST('/api/s/{token}/unlock', { params: { path: { token } }, body: { password } }), expectingUnauthorized),
    photos: (token: string): PageLoader => (cursor) =>
      unwrap(client.GET('/api/s/{token}/photos', { params: { path: { token }, query: after(cursor) } }), expectingUnauthorized),
    photo: (token: string, photoId: string): Promise<PhotoDetails> =>
      unwrap(client.GET('/api/s/{token}/photos/{photoId}', { params: { path: { token, photoId } } }), expectingUnauthorized),
  },
};
