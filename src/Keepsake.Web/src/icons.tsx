import type { SVGProps } from 'react';

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
export const CheckIcon = () => <Icon><path d="M5 12l5 5L20 7" /></Icon>;
export const ShareIcon = () => <Icon><circle cx="18" cy="5" r="3" /><circle cx="6" cy="12" r="3" /><circle cx="18" cy="19" r="3" /><path d="M8.6 13.5l6.8 4M15.4 6.5l-6.8 4" /></Icon>;
export const ImageIcon = () => <Icon><rect x="3" y="3" width="18" height="18" rx="2" /><circle cx="9" cy="9" r="2" /><path d="M21 15l-5-5L5 21" /></Icon>;
export const Logo = () => (
  <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
    <rect width="24" height="24" rx="6" fill="var(--accent)" />
    <path d="M5 17l4-5 3 3 2-2 5 4z" fill="#fff" />
    <circle cx="16" cy="8" r="2" fill="#fff" />
  </svg>
);
