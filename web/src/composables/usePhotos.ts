import { computed, ref, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { deletePhoto, getGallery, listPhotos, uploadPhoto, type GalleryMonth, type Photo, type PhotoKind } from '@/api/photos'
import { useAuthStore } from '@/stores/auth'
import { useErrorText } from './useErrorText'

/** Who may add photos: every role that sees projects except the auditor (the server checks the project's scope). */
export const PHOTO_UPLOADERS = ['admin', 'department', 'owner', 'leader'] as const

/** "31.034567° N, 104.678500° E" */
export function formatGps(gps: { lat: number; lon: number } | null): string {
  if (!gps) return ''
  const ns = gps.lat >= 0 ? 'N' : 'S'
  const ew = gps.lon >= 0 ? 'E' : 'W'
  return `${Math.abs(gps.lat).toFixed(6)}° ${ns}, ${Math.abs(gps.lon).toFixed(6)}° ${ew}`
}

/** "7.5 KB", "8.2 MB" */
export function formatBytes(n: number): string {
  return n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`
}

/** "2024-03-18 14:05" of an EXIF time. */
export function formatTaken(taken: string | null): string {
  return taken ? taken.slice(0, 16).replace('T', ' ') : ''
}

/** Whether the browser can show the original itself (HEIC: only the thumbnail). */
export const showsOriginal = (p: Photo) => p.mime !== 'image/heic'

/** A photo strip's state: the item's photos, uploads with progress, the viewer, detaching. */
export function usePhotoStrip(props: { projectId: number; kind: PhotoKind; refId: string | number; readonly?: boolean }) {
  const { t } = useI18n()
  const auth = useAuthStore()
  const err = useErrorText()
  const items = ref<Photo[]>([])
  const loading = ref(false)
  const error = ref('')
  const uploading = ref(false)
  const progress = ref(0)
  const viewing = ref<Photo | null>(null)
  const canUpload = computed(() => !props.readonly && !!auth.role && (PHOTO_UPLOADERS as readonly string[]).includes(auth.role))
  const canDelete = (p: Photo) => !props.readonly && (auth.role === 'admin' || auth.user?.login === p.uploaded_by)

  async function load() {
    if (!props.projectId || props.refId === '' || props.refId === undefined) return
    loading.value = true
    error.value = ''
    try {
      items.value = (await listPhotos(props.projectId, props.kind, props.refId)).items
    } catch (e) {
      error.value = err(e)
    } finally {
      loading.value = false
    }
  }

  async function upload(files: FileList | File[] | null) {
    if (!files || !files.length) return
    uploading.value = true
    error.value = ''
    try {
      for (const file of Array.from(files)) {
        progress.value = 0
        const p = await uploadPhoto(props.projectId, props.kind, props.refId, file, {
          onProgress: (sent, total) => (progress.value = total ? Math.round((sent * 100) / total) : 0),
        })
        if (p.added === false) ElMessage.info(t('photos.already'))
        else items.value = [...items.value, p]
      }
      ElMessage.success(t('photos.uploaded'))
    } catch (e) {
      error.value = err(e)
    } finally {
      uploading.value = false
    }
  }

  async function remove(p: Photo) {
    try {
      await ElMessageBox.confirm(t('photos.deleteConfirm'), t('photos.deleteTitle'), { type: 'warning' })
    } catch {
      return
    }
    try {
      await deletePhoto(p.id)
      items.value = items.value.filter((x) => x.id !== p.id)
      viewing.value = null
    } catch (e) {
      ElMessage.error(err(e))
    }
  }

  return { items, loading, error, uploading, progress, viewing, canUpload, canDelete, load, upload, remove }
}

/** A project's gallery: its photos month by month. */
export function useGallery(projectId: Ref<number>) {
  const err = useErrorText()
  const months = ref<GalleryMonth[]>([])
  const loading = ref(false)
  const error = ref('')
  const viewing = ref<Photo | null>(null)
  async function load() {
    loading.value = true
    error.value = ''
    try {
      months.value = (await getGallery(projectId.value)).months.slice().reverse()
    } catch (e) {
      error.value = err(e)
    } finally {
      loading.value = false
    }
  }
  watch(projectId, load)
  const total = computed(() => months.value.reduce((n, m) => n + m.items.length, 0))
  return { months, loading, error, viewing, total, load }
}
