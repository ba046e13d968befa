// Photo evidence (形象进度): upload to a monthly report, node, problem or visit of a project; list;
// the project's gallery by month; detach. The server checks the bytes, reads EXIF time and GPS,
// and makes the thumbnail.
import { http, upload } from './http'

export type PhotoKind = 'report' | 'node' | 'problem' | 'visit'

export interface Photo {
  id: number
  sha256: string
  project_id: number
  kind: PhotoKind
  /** YYYY-MM for a report, else the node's, problem's or visit's id. */
  ref: string
  caption: string
  mime: string
  width: number
  height: number
  bytes: number
  /** Camera time from EXIF ("YYYY-MM-DDTHH:MM:SS", no zone), or null. */
  taken_at: string | null
  gps: { lat: number; lon: number } | null
  uploaded_by: string
  uploaded_at: string
  url: string
  thumb: string
  /** On upload: false when the same photo was already on the item. */
  added?: boolean
}

export interface GalleryMonth {
  month: string
  items: Photo[]
}

export interface PhotoLimits {
  photo_max_bytes: number
  photo_max_per_item: number
}

export interface UploadPhotoOptions {
  caption?: string
  onProgress?: (sent: number, total: number) => void
  signal?: AbortSignal
}

/** Uploads one photo (the file as the body); 201 when added, 200 when the same bytes were there already. */
export const uploadPhoto = (projectId: number, kind: PhotoKind, ref: string | number, file: Blob, opts: UploadPhotoOptions = {}) =>
  upload<Photo>('/api/photos', file, {
    query: { project_id: projectId, kind, ref: String(ref), caption: opts.caption || undefined },
    contentType: file.type || 'application/octet-stream',
    onProgress: opts.onProgress,
    signal: opts.signal,
  })

/** The photos of an item (or of the whole project without kind). */
export const listPhotos = (projectId: number, kind?: PhotoKind, ref?: string | number) =>
  http.get<{ items: Photo[] }>('/api/photos', { project_id: projectId, kind, ref: ref === undefined ? undefined : String(ref) })

/** The project's photos month by month (the EXIF month, else the upload's), oldest first. */
export const getGallery = (projectId: number) => http.get<{ project_id: number; months: GalleryMonth[] }>(`/api/projects/${projectId}/gallery`)

/** Detaches a photo (the bureau or its uploader). */
export const deletePhoto = (id: number) => http.del<{ deleted: number }>(`/api/photos/${id}`)

export const getPhotoLimits = () => http.get<PhotoLimits>('/api/photo-limits')
export const savePhotoLimits = (l: Partial<PhotoLimits>) => http.put<PhotoLimits>('/api/photo-limits', l)
