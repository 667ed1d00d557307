import type { JSX, SVGProps } from 'react';

function Icon({ children, ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...props}>
      {children}
    </svg>
  );
}

export const ChevronLeft = () => <Icon><path d="M15 18l-6-6 6-6" /></Icon>;
export const ChevronRight = () => <Icon><path d="M9 18l6-6-6-6" /></Icon>;
export const CloseIcon = () => <Icon><path d="M18 6L6 18M6 6l12 12" /></Icon>;
export const TrashIcon = () => <Icon><path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6" /></Icon>;
export const DownloadIcon = () => <Icon><path d="M12 3v12M7 10l5 5 5-5M5 21h14" /></Icon>;
export const UploadIcon = () => <Icon><path d="M12 21V9M7 14l5-5 5 5M5 3h14" /></Icon>;
export const PlusIcon = () => <Icon><path d="M12 5v14M5 12h14" /></Icon>;
export const CheckIcon = () => <Icon><path d="M5 12l5 5L20 7" /></Icon>;
export const ShareIcon = () => <Icon><circle cx="18" cy="5" r="3" /><circle cx="6" cy="12" r="3" /><circle cx="18" cy="19" r="3" /><path d="M8.6 13.5l6.8 4M15.4 6.5l-6.8 4" /></Icon>;
export const MissingFileIcon = () => <Icon><path d="M3 3l18 18" /><path d="M21 15V5a2 2 0 0 0-2-2H9M3 7v12a2 2 0 0 0 2 2h12" /><path d="M3 17l5-5 3 3" /></Icon>;
export const HeartIcon = ({ filled }: { filled: boolean }) => (
  <Icon fill={filled ? 'currentColor' : 'none'}>
    <path d="M12 21s-7.5-4.6-9.5-9.2C1.1 8.5 3.2 5 6.6 5c2 0 3.5 1.1 5.4 3.1C13.9 6.1 15.4 5 17.4 5c3.4 0 5.5 3.5 4.1 6.8C19.5 16.4 12 21 12 21z" />
  </Icon>
);
export const ImageIcon = () => <Icon><rect x="3" y="3" width="18" height="18" rx="2" /><circle cx="9" cy="9" r="2" /><path d="M21 15l-5-5L5 21" /></Icon>;
const cloud = <path d="M7 18h10a4 4 0 0 0 0-8 5.5 5.5 0 0 0-10.6 1.5A3.3 3.3 0 0 0 7 18z" />;
const sun = <><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></>;
const weatherShapes: Record<string, JSX.Element> = {
  clear: sun,
  'mostly-clear': sun,
  'partly-cloudy': <><path d="M8 3v1.5M3 8h1.5M4.5 4.5l1 1M11.5 4.5l-1 1" /><circle cx="8" cy="8" r="2.5" />{cloud}</>,
  overcast: cloud,
  fog: <path d="M4 9h16M4 13h16M6 17h12" />,
  drizzle: <><path d="M7 14h10a3.5 3.5 0 0 0 0-7 5 5 0 0 0-9.6 1.3A2.9 2.9 0 0 0 7 14z" /><path d="M9 18v1M13 18v1M17 18v1" /></>,
  rain: <><path d="M7 14h10a3.5 3.5 0 0 0 0-7 5 5 0 0 0-9.6 1.3A2.9 2.9 0 0 0 7 14z" /><path d="M9 17l-1 3M13 17l-1 3M17 17l-1 3" /></>,
  'freezing-rain': <><path d="M7 14h10a3.5 3.5 0 0 0 0-7 5 5 0 0 0-9.6 1.3A2.9 2.9 0 0 0 7 14z" /><path d="M9 17l-1 3M14 18h.01M17 17l-1 3" /></>,
  showers: <><path d="M7 14h10a3.5 3.5 0 0 0 0-7 5 5 0 0 0-9.6 1.3A2.9 2.9 0 0 0 7 14z" /><path d="M8 17l-2 4M12 17l-2 4M16 17l-2 4" /></>,
  snow: <><path d="M7 14h10a3.5 3.5 0 0 0 0-7 5 5 0 0 0-9.6 1.3A2.9 2.9 0 0 0 7 14z" /><path d="M8 18h.01M12 20h.01M16 18h.01M10 21h.01M14 21h.01" /></>,
  thunderstorm: <><path d="M7 14h10a3.5 3.5 0 0 0 0-7 5 5 0 0 0-9.6 1.3A2.9 2.9 0 0 0 7 14z" /><path d="M12 14l-2 4h4l-2 4" /></>,
};
/** The drawing for a weather icon name from the API; a plain cloud for a name it does not know. */
export const WeatherIcon = ({ name }: { name: string }) => <Icon data-icon={name}>{weatherShapes[name] ?? cloud}</Icon>;
export const Logo = () => (
  <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
    <rect width="24" height="24" rx="6" fill="var(--accent)" />
    <path d="M5 17l4-5 3 3 2-2 5 4z" fill="#fff" />
    <circle cx="16" cy="8" r="2" fill="#fff" />
  </svg>
);
export const InfoIcon = () => <Icon><circle cx="12" cy="12" r="9" /><path d="M12 11v6M12 7.5v.5" /></Icon>;
