import { api } from './api';
import type { PhotoDetails } from './types';

export const loadOwnPhoto = (id: string) => api<PhotoDetails>(`/api/photos/${id}`);
export const deleteOwnPhoto = (id: string) => api<void>(`/api/photos/${id}`, { method: 'DELETE' });
