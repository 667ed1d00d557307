import type { Schemas } from './client';

// The API's shapes under the names the app uses; all generated from openapi.json (schema.d.ts).
export type User = Schemas['UserDto'];
export type PhotoSummary = Schemas['PhotoSummaryDto'];
export type PhotoPage = Schemas['PhotoPageDto'];
export type TimelineBucket = Schemas['TimelineBucketDto'];
export type UserUsage = Schemas['UserUsageDto'];
export type Memories = Schemas['MemoriesDto'];
export type PhotoDetails = Schemas['PhotoDetailsDto'];
export type Camera = Schemas['CameraDto'];
export type Place = Schemas['PlaceDto'];
export type PlaceSummary = Schemas['PlaceSummaryDto'];
export type PlacePage = Schemas['PlacePageDto'];
export type Weather = Schemas['WeatherDto'];
export type Measure = Schemas['MeasureDto'];
export type WeatherStatus = Schemas['WeatherStatusDto'];
export type PhotoBackupStatus = Schemas['PhotoBackupStatusDto'];
export type UploadResponse = Schemas['UploadResponseDto'];
export type Album = Schemas['AlbumDto'];
export type Share = Schemas['ShareDto'];
export type CreatedShare = Schemas['CreatedShareDto'];
export type NewShare = Schemas['CreateShareDto'];
export type SharedAlbum = Schemas['SharedAlbumDto'];
export type Credentials = Schemas['CredentialsDto'];
export type MapSettings = Schemas['MapSettingsDto'];
export type MapMarker = Schemas['MapMarkerDto'];
