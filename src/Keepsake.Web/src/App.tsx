import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { setUnauthorizedHandler } from './api/client';
import { api } from './api/endpoints';
import type { MapSettings, User } from './api/models';
import { ApiError } from './api/problem';
import { AuthContext } from './auth';
import { AccountMenu } from './components/AccountMenu';
import { ErrorMessage } from './components/ErrorMessage';
import { SearchBox } from './components/SearchBox';
import { UpdateNotice } from './components/UpdateNotice';
import { Logo } from './icons';
import { AccountPage } from './pages/AccountPage';
import { AdminPage } from './pages/AdminPage';
import { AlbumPage } from './pages/AlbumPage';
import { AlbumsPage } from './pages/AlbumsPage';
import { LoginPage, safeNext } from './pages/LoginPage';
import { PlacePhotosPage, PlacesPage } from './pages/PlacesPage';
import { SearchPage } from './pages/SearchPage';
import { SetupPage } from './pages/SetupPage';
import { SharePage } from './pages/SharePage';
import { TimelinePage } from './pages/TimelinePage';
import { TrashPage } from './pages/TrashPage';

// Leaflet and the clustering come with the Map page only: the timeline never loads them.
const MapPage = lazy(() => import('./pages/MapPage'));

export function App() {
  return (
    <>
      <UpdateNotice />
      <Routes>
        {/* Share links are a world of their own: no session, no navigation into the app. */}
        <Route path="/s/:token" element={<SharePage />} />
        <Route path="*" element={<OwnerApp />} />
      </Routes>
    </>
  );
}

type Boot = { state: 'loading' } | { state: 'setup' } | { state: 'ready' } | { state: 'error'; error: unknown };

function OwnerApp() {
  const [user, setUser] = useState<User | null>(null);
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef(location);
  here.current = location;

  useEffect(() => {
    // Any 401 on a signed-in request: the session is gone; log in again and come back here.
    setUnauthorizedHandler(() => {
      const { pathname, search } = here.current;
      setUser(null);
      if (!pathname.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  useEffect(() => {
    let live = true;
    setBoot({ state: 'loading' });
    (async () => {
      const setup = await api.setup.status();
      if (setup.needed) return 'setup' as const;
      try {
        const me = await api.auth.me();
        if (live) setUser(me);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) throw e;
      }
      return 'ready' as const;
    })().then(
      (state) => live && setBoot({ state }),
      (error: unknown) => live && setBoot({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const auth = useMemo(() => ({ user, setUser }), [user]);
  const onSetupDone = useCallback(() => setBoot({ state: 'ready' }), []);

  if (boot.state === 'loading') {
    return <p className="centered muted" role="status">Loading Keepsake…</p>;
  }
  if (boot.state === 'error') {
    return (
      <main className="centered narrow">
        <h1>Keepsake</h1>
        <ErrorMessage error={boot.error} what="Could not reach Keepsake" onRetry={() => setAttempt((a) => a + 1)} />
      </main>
    );
  }
  if (boot.state === 'setup') {
    return (
      <AuthContext.Provider value={auth}>
        <Routes>
          <Route path="/setup" element={<SetupPage onDone={onSetupDone} />} />
          <Route path="*" element={<Navigate to="/setup" replace />} />
        </Routes>
      </AuthContext.Provider>
    );
  }

  const next = encodeURIComponent(location.pathname + location.search);
  return (
    <AuthContext.Provider value={auth}>
      <Routes>
        <Route path="/login" element={<LoginRoute signedIn={user !== null} />} />
        <Route path="/setup" element={<Navigate to="/" replace />} />
        <Route
          path="*"
          element={
            user ? (
              <Shell user={user}>
                <Routes>
                  <Route path="/" element={<TimelinePage />} />
                  <Route path="/favorites" element={<TimelinePage key="favorites" view="favorites" />} />
                  <Route path="/archive" element={<TimelinePage key="archive" view="archive" />} />
                  <Route path="/trash" element={<TrashPage />} />
                  <Route path="/map" element={<MapRoute />} />
                  <Route path="/albums" element={<AlbumsPage />} />
                  <Route path="/albums/:id" element={<AlbumPage />} />
                  <Route path="/places" element={<PlacesPage />} />
                  <Route path="/places/photos" element={<PlacePhotosPage />} />
                  <Route path="/search" element={<SearchPage />} />
                  <Route path="/account" element={<AccountPage />} />
                  <Route path="/admin" element={user.isAdmin ? <AdminPage /> : <NotFound />} />
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </Shell>
            ) : (
              <Navigate to={`/login?next=${next}`} replace />
            )
          }
        />
      </Routes>
    </AuthContext.Provider>
  );
}

/** Once signed in, the login page hands over to where the user was going. */
function LoginRoute({ signedIn }: { signedIn: boolean }) {
  const [params] = useSearchParams();
  return signedIn ? <Navigate to={safeNext(params.get('next'))} replace /> : <LoginPage />;
}

/** The map's settings, asked once per sign-in: the navigation and the Map page both need them. */
const MapSettingsContext = createContext<MapSettings | null>(null);

function useMapSettings() {
  const [settings, setSettings] = useState<MapSettings | null>(null);
  useEffect(() => {
    let live = true;
    api.map.settings().then(
      (answer) => live && setSettings(answer),
      // Without an answer the map stays out of sight; every other page works as before.
      () => live && setSettings({ enabled: false, tileUrl: null, attribution: null, attributionUrl: null }),
    );
    return () => {
      live = false;
    };
  }, []);
  return settings;
}

function MapRoute() {
  const settings = useContext(MapSettingsContext);
  if (settings === null) return <p className="centered muted" role="status">Loading…</p>;
  if (!settings.enabled) return <NotFound />;
  return (
    <Suspense fallback={<p className="centered muted" role="status">Loading the map…</p>}>
      <MapPage settings={settings} />
    </Suspense>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        <NavLink to="/">Back to your photos</NavLink>
      </p>
    </section>
  );
}

function Shell({ user, children }: { user: User; children: React.ReactNode }) {
  const mapSettings = useMapSettings();
  return (
    <MapSettingsContext.Provider value={mapSettings}>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Keepsake home">
          <Logo /> <span>Keepsake</span>
        </NavLink>
        <SearchBox />
        <nav aria-label="Main">
          <NavLink to="/" end>Photos</NavLink>
          <NavLink to="/favorites">Favourites</NavLink>
          <NavLink to="/albums">Albums</NavLink>
          <NavLink to="/places">Places</NavLink>
          {mapSettings?.enabled ? <NavLink to="/map">Map</NavLink> : null}
          <NavLink to="/archive">Archive</NavLink>
          <NavLink to="/trash">Trash</NavLink>
        </nav>
        <AccountMenu user={user} />
      </header>
      <main id="main" className="main">
        {children}
      </main>
    </MapSettingsContext.Provider>
  );
}
