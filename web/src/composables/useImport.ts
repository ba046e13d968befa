import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { importFile, type ImportKind } from '@/api/system'
import type { ImportResult, ImportRowError } from '@/api/types'
import { useErrorText } from './useErrorText'

/**
 * Import from Excel/WPS: pick a file (CSV, .xlsx, .xls), check it (a dry run that lists every bad row),
 * then import it: all or nothing on the server.
 */
export function useImport(onDone: () => void) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const visible = ref(false)
  const kind = ref<ImportKind>('projects')
  const file = shallowRef<File | null>(null)
  const checking = ref(false)
  const importing = ref(false)
  const preview = shallowRef<ImportResult | null>(null)
  const rowErrors = shallowRef<ImportRowError[]>([])
  const message = ref('')
  const done = shallowRef<ImportResult | null>(null)

  function open(k: ImportKind = 'projects') {
    kind.value = k
    reset()
    visible.value = true
  }
  function reset() {
    file.value = null
    preview.value = null
    rowErrors.value = []
    message.value = ''
    done.value = null
  }
  function pick(f: File | null) {
    reset()
    file.value = f
    if (f) void check()
  }

  async function check() {
    if (!file.value) return
    checking.value = true
    message.value = ''
    try {
      const r = await importFile(kind.value, file.value, { dryRun: true })
      preview.value = r
      rowErrors.value = r.errors ?? []
    } catch (e) {
      message.value = errorText(e)
      if (e instanceof ApiError && e.rows) rowErrors.value = e.rows as ImportRowError[]
    } finally {
      checking.value = false
    }
  }

  async function run() {
    if (!file.value) return
    importing.value = true
    message.value = ''
    try {
      done.value = await importFile(kind.value, file.value)
      ElMessage.success(t('import.done'))
      onDone()
    } catch (e) {
      message.value = errorText(e)
      if (e instanceof ApiError && e.rows) rowErrors.value = e.rows as ImportRowError[]
    } finally {
      importing.value = false
    }
  }

  const previewRows = computed(() => (Array.isArray(preview.value?.rows) ? preview.value!.rows.slice(0, 20) : []))
  const canImport = computed(() => !!file.value && !!preview.value?.ok && rowErrors.value.length === 0 && !done.value)
  const summary = computed(() => {
    const d = done.value
    if (!d) return []
    const keys = kind.value === 'projects'
      ? (['projects_created', 'projects_updated', 'projects_unchanged', 'plans_written'] as const)
      : (['reports_created', 'reports_replaced', 'reports_unchanged'] as const)
    return keys.map((k) => ({ key: k, value: d[k] ?? 0 }))
  })

  return { visible, kind, file, checking, importing, preview, previewRows, rowErrors, message, done, summary, canImport, open, pick, check, run }
}
