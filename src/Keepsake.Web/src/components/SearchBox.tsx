import { useEffect, useState, type FormEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';

/** The search box of the top bar: Enter opens the Search page for what it holds, which it keeps showing there. */
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const onSearchPage = location.pathname === '/search';
  const current = onSearchPage ? params.get('q') ?? '' : '';
  const [text, setText] = useState(current);

  useEffect(() => setText(current), [current]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const q = text.trim();
    if (!q) return;
    navigate(`/search?${new URLSearchParams({ q }).toString()}`);
  }

  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <input type="search" name="q" aria-label="Search photos" placeholder="Search places, cameras, dates…" value={text}
        maxLength={200} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}
