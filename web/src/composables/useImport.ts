import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError, saveFile } from '@/api/http'
import { checkImport, commitImport, downloadImportErrors, downloadTemplate, type ImportKind } from '@/api/transfer'
import type { ImportResult, ImportRowError, ImportSummary } from '@/api/types'
import { pickLanguage } from '@/locales'
import { useErrorText } from './useErrorText'
import { xlsxSheetNames } from './xlsxSheets'

/** Bad cells by `row:col`, whole bad rows (col -1) by row, as the preview table looks them up. */
export interface ErrorIndex {
  cells: Map<string, ImportRowError[]>
  rows: Map<number, ImportRowError[]>
}

export const cellKey = (row: number, col: number) => `${row}:${col}`

/** Files each error under its cell (`col` ≥ 0) or its whole row (`col` -1 or missing). */
export function indexErrors(errors: readonly ImportRowError[]): ErrorIndex {
  const cells = new Map<string, ImportRowError[]>()
  const rows = new Map<number, ImportRowError[]>()
  for (const e of errors) {
    const col = typeof e.col === 'number' ? e.col : -1
    const map = col >= 0 ? cells : rows
    const key = col >= 0 ? cellKey(e.row, col) : e.row
    const list = (map as Map<string | number, ImportRowError[]>).get(key)
    if (list) list.push(e)
    else (map as Map<string | number, ImportRowError[]>).set(key, [e])
  }
  return { cells, rows }
}

/** The reason of an error in the given language (the server writes "中文 (English)"). */
export const reasonOf = (e: ImportRowError, locale: string) => pickLanguage(e.reason || e.message || '', locale)

/** Hover text of a cell or row: its reasons, one a line; '' when it is fine. */
export function cellTitle(index: ErrorIndex, row: number, col: number, locale: string): string {
  const list = col >= 0 ? index.cells.get(cellKey(row, col)) : index.rows.get(row)
  return list ? list.map((e) => reasonOf(e, locale)).join('\n') : ''
}

/** Rows of the preview that have any error (cell or whole row). */
export function badRows(index: ErrorIndex): Set<number> {
  const s = new Set<number>(index.rows.keys())
  for (const k of index.cells.keys()) s.add(Number(k.split(':')[0]))
  return s
}

/** A file may be imported once a dry run of that very file and sheet passed with no errors, and nothing is running. */
export function canCommit(s: { file: Blob | null; preview: ImportResult | null; errors: readonly unknown[]; busy: boolean; done: boolean }): boolean {
  return !!s.file && !!s.preview && s.preview.ok && (s.preview.total_rows ?? 0) > 0 && s.errors.length === 0 && !s.busy && !s.done
}

export interface SummaryItem {
  key: keyof ImportSummary
  value: number
}

/** The counts worth showing after an import of `kind`. */
export function summaryItems(kind: ImportKind, s: ImportSummary | undefined | null): SummaryItem[] {
  if (!s) return []
  // an import of the demand list: the rows and the demands written (a row already stored is skipped)
  if (kind === 'financing') return [{ key: 'rows', value: Number(s.rows ?? 0) }, { key: 'demands_written', value: Number(s.projects_created ?? 0) }]
  const byKind: Record<ImportKind, (keyof ImportSummary)[]> = {
    projects: ['rows', 'projects_created', 'projects_updated', 'projects_unchanged', 'plans_written'],
    reports: ['rows', 'reports_created', 'reports_replaced', 'reports_unchanged'],
    nodes: ['rows', 'nodes_created', 'nodes_updated', 'nodes_unchanged'],
    problems: ['rows', 'problems_added', 'problems_skipped'],
    financing: ['rows'],
  }
  const keys = byKind[kind] ?? byKind.reports
  return keys.map((key) => ({ key, value: Number(s[key] ?? 0) }))
}

/** Whole percent of an upload, 0…100. */
export function percent(sent: number, total: number): number {
  if (!total || total <= 0) return 0
  return Math.max(0, Math.min(100, Math.round((sent / total) * 100)))
}

export type ImportStage = 'uploading' | 'checking' | 'committing' | null

/**
 * Import from Excel/WPS: pick a file (CSV, .xlsx, .xls), read it on the server in a dry run (every bad
 * cell marked), pick another sheet if needed, then import it (all or nothing on the server).
 * A failed upload keeps the file, the sheet and the last preview, so the user can retry.
 */
export function useImport(onDone: () => void = () => {}) {
  const { t, locale } = useI18n()
  const errorText = useErrorText()
  const kind = ref<ImportKind>('projects')
  const file = shallowRef<File | null>(null)
  const sheet = ref('')
  const sheets = ref<string[]>([])
  const stage = ref<ImportStage>(null)
  const progress = ref(0)
  const preview = shallowRef<ImportResult | null>(null)
  const errors = shallowRef<ImportRowError[]>([])
  const message = ref('')
  const done = shallowRef<ImportResult | null>(null)
  const downloading = ref('')
  /** What the last failed call was, for "try again". */
  const failed = ref<'check' | 'commit' | null>(null)
  let attempt = 0

  const busy = computed(() => stage.value !== null)
  const index = computed(() => indexErrors(errors.value))
  const bad = computed(() => badRows(index.value))
  const commitEnabled = computed(() => canCommit({ file: file.value, preview: preview.value, errors: errors.value, busy: busy.value, done: !!done.value }))
  const summary = computed(() => summaryItems(kind.value, done.value?.summary))
  const regionsCreated = computed(() => done.value?.summary?.regions_created ?? [])
  const rows = computed(() => preview.value?.rows ?? [])
  const header = computed(() => preview.value?.header ?? [])
  const sheetOptions = computed(() => {
    const s = new Set(sheets.value)
    if (preview.value?.sheet && preview.value.sheet !== 'CSV') s.add(preview.value.sheet)
    return [...s]
  })

  function reset() {
    failed.value = null
    file.value = null
    sheet.value = ''
    sheets.value = []
    preview.value = null
    errors.value = []
    message.value = ''
    done.value = null
  }
  function setKind(k: ImportKind) {
    if (k === kind.value) return
    kind.value = k
    if (file.value) void check()
  }

  /** A new file: list its sheets (for .xlsx) and check it. */
  async function pick(f: File | null) {
    reset()
    file.value = f
    if (!f) return
    sheets.value = await xlsxSheetNames(f)
    await check()
  }

  function progressOpts() {
    progress.value = 0
    stage.value = 'uploading'
    return {
      sheet: sheet.value || undefined,
      onProgress: (sent: number, total: number) => {
        progress.value = percent(sent, total)
        if (sent >= total && stage.value === 'uploading') stage.value = 'checking'
      },
    }
  }

  /** The dry run: reads the file (the chosen sheet, or the server's pick) and lists every bad cell. */
  async function check() {
    if (!file.value) return
    const my = ++attempt
    message.value = ''
    done.value = null
    try {
      const r = await checkImport(kind.value, file.value, progressOpts())
      if (my !== attempt) return
      preview.value = r
      errors.value = r.errors ?? []
      if (r.sheet && r.sheet !== 'CSV' && !sheet.value) sheet.value = r.sheet
      failed.value = null
    } catch (e) {
      if (my !== attempt) return
      message.value = errorText(e)
      failed.value = 'check'
    } finally {
      if (my === attempt) stage.value = null
    }
  }

  function chooseSheet(name: string) {
    sheet.value = name
    void check()
  }

  async function commit() {
    if (!file.value || !commitEnabled.value) return
    const my = ++attempt
    message.value = ''
    try {
      const opts = progressOpts()
      stage.value = 'committing'
      const r = await commitImport(kind.value, file.value, { ...opts, onProgress: (s, tot) => (progress.value = percent(s, tot)) })
      if (my !== attempt) return
      done.value = r
      preview.value = r
      errors.value = r.errors ?? []
      failed.value = null
      ElMessage.success(t('import.done'))
      onDone()
    } catch (e) {
      if (my !== attempt) return
      message.value = errorText(e)
      if (e instanceof ApiError && e.rows?.length) errors.value = e.rows as ImportRowError[]
      else failed.value = 'commit'
    } finally {
      if (my === attempt) stage.value = null
    }
  }

  async function download(what: string, get: () => Promise<{ blob: Blob; filename: string }>) {
    downloading.value = what
    try {
      saveFile(await get())
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      downloading.value = ''
    }
  }
  const downloadErrors = () => file.value && download('errors', () => downloadImportErrors(kind.value, file.value!, { sheet: sheet.value || undefined }))
  const template = (k: ImportKind) => download(`template-${k}`, () => downloadTemplate(k))

  /** Runs the failed call again with the same file and sheet. */
  const retry = () => (failed.value === 'commit' ? commit() : check())

  const title = (row: number, col: number) => cellTitle(index.value, row, col, locale.value)
  const reason = (e: ImportRowError) => reasonOf(e, locale.value)

  return {
    kind, file, sheet, sheets, sheetOptions, stage, busy, progress, preview, rows, header, errors, index, bad, message, done,
    summary, regionsCreated, commitEnabled, downloading, failed,
    setKind, pick, check, chooseSheet, commit, retry, reset, downloadErrors, template, title, reason,
  }
}
