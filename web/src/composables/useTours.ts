import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { listUsers } from '@/api/system'
import {
  createTour, getTour, getTourResults, listTours, saveTourScores, updateTour,
  type Tour, type TourInput, type TourMine, type TourResults, type TourStatus,
} from '@/api/tours'
import { todayKey } from './format'
import { useErrorText } from './useErrorText'
import { useProjectSearch } from './useProjectSearch'

/** "2024-03-26" for a one-day tour, "2024-03-26 ~ 2024-03-27" for longer ones. */
export function tourDates(t: Pick<Tour, 'start' | 'end'>): string {
  return !t.end || t.end === t.start ? t.start : `${t.start} ~ ${t.end}`
}

/** The tour form: the route as the projects picked, in order; the raters as logins. */
export interface TourForm {
  name: string
  start: string
  end: string
  status: TourStatus
  note: string
  stops: { id: number; label: string }[]
  raters: string[]
}

export function tourFormOf(t: Tour | null, today = todayKey()): TourForm {
  if (!t) return { name: '', start: today, end: today, status: 'planning', note: '', stops: [], raters: [] }
  return {
    name: t.name,
    start: t.start,
    end: t.end,
    status: t.status,
    note: t.note,
    stops: t.stops.map((s) => ({ id: s.project_id, label: `${s.project_code} ${s.project_name}` })),
    raters: t.raters.map((r) => r.login),
  }
}

export function tourInputOf(f: TourForm): TourInput {
  return { name: f.name.trim(), start: f.start, end: f.end || f.start, status: f.status, note: f.note, stops: f.stops.map((s) => s.id), raters: [...f.raters] }
}

/** Moves the stop at i by d (−1 up, +1 down) in the route; out of range does nothing. */
export function moveStop<T>(list: T[], i: number, d: number): T[] {
  const j = i + d
  if (j < 0 || j >= list.length) return list
  const out = [...list]
  ;[out[i], out[j]] = [out[j], out[i]]
  return out
}

/** The 拉练 page: the tours, the form (route and raters), one tour's results. */
export function useTours() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const items = shallowRef<Tour[]>([])
  const canCreate = ref(false)
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const r = await listTours()
      items.value = r.items
      canCreate.value = r.can_create
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  // results of one tour
  const results = shallowRef<TourResults | null>(null)
  const resultsOf = shallowRef<Tour | null>(null)
  const resultsBy = ref<'region' | 'unit'>('region')
  const resultsLoading = ref(false)
  async function openResults(tour: Tour, by: 'region' | 'unit' = resultsBy.value) {
    resultsOf.value = tour
    resultsBy.value = by
    resultsLoading.value = true
    try {
      results.value = await getTourResults(tour.id, by)
    } catch (e) {
      ElMessage.error(errorText(e))
      results.value = null
    } finally {
      resultsLoading.value = false
    }
  }

  // the form
  const formOpen = ref(false)
  const editing = shallowRef<Tour | null>(null)
  const form = reactive<TourForm>(tourFormOf(null))
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  const saving = ref(false)
  const raterOptions = shallowRef<{ login: string; label: string }[]>([])
  const projects = useProjectSearch()
  const picked = ref<number | null>(null)
  const clearErrors = () => {
    formError.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }
  async function loadRaters() {
    try {
      const r = await listUsers()
      raterOptions.value = r.items
        .filter((u) => !u.disabled && (u.role === 'admin' || u.role === 'leader' || u.role === 'department'))
        .map((u) => ({ login: u.login, label: `${u.display_name || u.login}（${u.login}）` }))
    } catch {
      raterOptions.value = []
    }
  }
  function openForm(tour: Tour | null) {
    clearErrors()
    editing.value = tour
    Object.assign(form, tourFormOf(tour))
    picked.value = null
    formOpen.value = true
    void loadRaters()
    void projects.search('')
  }
  /** Adds the picked project at the end of the route (once). */
  function addStop(id: number | null) {
    if (!id) return
    const o = projects.options.value.find((x) => x.id === id)
    if (o && !form.stops.some((s) => s.id === id)) form.stops = [...form.stops, o]
    picked.value = null
  }
  function removeStop(i: number) {
    form.stops = form.stops.filter((_, k) => k !== i)
  }
  function move(i: number, d: number) {
    form.stops = moveStop(form.stops, i, d)
  }
  async function saveForm() {
    clearErrors()
    saving.value = true
    try {
      const input = tourInputOf(form)
      const saved = editing.value ? await updateTour(editing.value.id, { ...input, version: editing.value.version }) : await createTour(input)
      ElMessage.success(t('tours.saved'))
      formOpen.value = false
      await load()
      return saved
    } catch (e) {
      if (e instanceof ApiError && e.field) fieldErrors[e.field] = errorText(e)
      else formError.value = errorText(e)
      return null
    } finally {
      saving.value = false
    }
  }

  return {
    items, canCreate, loading, error, load,
    results, resultsOf, resultsBy, resultsLoading, openResults,
    formOpen, editing, form, fieldErrors, formError, saving, raterOptions, projects, picked, openForm, addStop, removeStop, move, saveForm,
  }
}

/** One stop's inputs on the phone: points as typed (numbers), by item key. */
export type StopEntry = { points: Record<string, number | undefined>; saving: boolean; error: string; field: string }

export function entryOf(sheet: { key: string }[], mine: TourMine | null | undefined): StopEntry {
  const points: Record<string, number | undefined> = {}
  for (const i of sheet) points[i.key] = mine?.items[i.key] !== undefined ? Number(mine.items[i.key]) : undefined
  return { points, saving: false, error: '', field: '' }
}

/** The scoring page of a rater: the tour's stops in route order, each with the sheet's items. */
export function useTourScoring() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const tour = shallowRef<Tour | null>(null)
  const entries = reactive<Record<number, StopEntry>>({})
  const loading = ref(false)
  const error = ref('')

  async function load(id: number | string) {
    loading.value = true
    error.value = ''
    try {
      const tr = await getTour(id)
      tour.value = tr
      for (const s of tr.stops) entries[s.id] = entryOf(tr.sheet, s.mine)
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  async function submit(stopId: number) {
    const tr = tour.value
    const e = entries[stopId]
    const stop = tr?.stops.find((s) => s.id === stopId)
    if (!tr || !e || !stop) return null
    e.error = ''
    e.field = ''
    e.saving = true
    try {
      const items = tr.sheet.map((i) => ({ key: i.key, points: e.points[i.key] === undefined || e.points[i.key] === null ? '' : String(e.points[i.key]) }))
      const ans = await saveTourScores(tr.id, stopId, { version: stop.mine?.version ?? 0, items })
      const mine: TourMine = { version: ans.version, scored_at: ans.scored_at, items: ans.items, total: ans.total }
      tour.value = { ...tr, stops: tr.stops.map((s) => (s.id === stopId ? { ...s, mine } : s)) }
      ElMessage.success(t('tours.scoreSaved', { n: stop.seq }))
      return ans
    } catch (err) {
      e.error = errorText(err)
      e.field = err instanceof ApiError ? err.field ?? '' : ''
      return null
    } finally {
      e.saving = false
    }
  }

  return { tour, entries, loading, error, load, submit }
}
