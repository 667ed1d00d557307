export interface User {
  id: string;
  email: string;
  isAdmin: boolean;
  createdAt: string;
}

export interface PhotoSummary {
  id: string;
  width: number;
  height: number;
  takenAt: string | null;
  timelineAt: string;
  thumbnailUrl: string;
  previewUrl: string;
  /** True once fsck found the original gone from storage: show a placeholder, never ask for its files. */
  missing: boolean;
}

export interface PhotoPage {
  items: PhotoSummary[];
  nextCursor: string | null;
}

export interface Camera {
  make: string | null;
  model: string | null;
  lens: string | null;
  exposureTime: string | null;
  fNumber: number | null;
  iso: number | null;
  focalLengthMm: number | null;
}

export interface PhotoDetails {
  id: string;
  fileName: string;
  format: string;
  sizeBytes: number;
  width: number;
  height: number;
  takenAt: string | null;
  uploadedAt: string;
  /** Null through a share link made without "include location and camera details". */
  camera: Camera | null;
  location: { latitude: number; longitude: number } | null;
  thumbnailUrl: string;
  previewUrl: string;
  originalUrl: string;
  /** True once fsck found the original gone from storage. */
  missing: boolean;
  /** The weather of the photo's hour at its rounded place; null without place, time or fetched weather. */
  weather?: Weather | null;
}

export interface Measure {
  value: number;
  unit: string;
}

export interface Weather {
  hour: string;
  temperature: Measure | null;
  weatherCode: number | null;
  condition: string;
  /** clear, mostly-clear, partly-cloudy, overcast, fog, drizzle, rain, freezing-rain, showers, snow, thunderstorm or unknown. */
  icon: string;
  precipitation: Measure | null;
  cloudCover: Measure | null;
  wind: Measure | null;
}

export interface PhotoWeather {
  photoId: string;
  weather: Weather;
}

export interface WeatherStatus {
  enabled: boolean;
  provider: string;
  queued: number;
  waitingForArchive: number;
  failing: number;
  oldestAgeSeconds: number;
  lastFailure: string | null;
  storedPlaceDays: number;
}

export interface UploadedPhoto {
  fileName: string;
  duplicate: boolean;
  photo: PhotoDetails;
}

export interface UploadResponse {
  photos: UploadedPhoto[];
}

export interface Album {
  id: string;
  name: string;
  photoCount: number;
  coverPhotoId: string | null;
  coverThumbnailUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Share {
  id: string;
  expiresAt: string | null;
  hasPassword: boolean;
  createdAt: string;
  revokedAt: string | null;
  active: boolean;
  includeLocation: boolean;
}

export interface CreatedShare {
  id: string;
  token: string;
  url: string;
  expiresAt: string | null;
  hasPassword: boolean;
  createdAt: string;
  includeLocation: boolean;
}

export interface SharedAlbum {
  name: string;
  photoCount: number;
  coverPhotoId: string | null;
}
