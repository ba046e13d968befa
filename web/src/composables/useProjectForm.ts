import { computed, reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInstance, FormRules } from 'element-plus'
import { ElMessage, ElMessageBox } from 'element-plus'
import { createProject, getProject, updateProject, type ProjectInput } from '@/api/projects'
import { ApiError } from '@/api/http'
import type { Project } from '@/api/types'
import { amountWan, wanToSend, codeFormat, dateOrder, firstError, intRange, maxLength, required, toRules, type Check } from './validators'
import { useErrorText } from './useErrorText'

/** What the form edits: amounts as text, so "1.23456" can be refused as typed rather than rounded. */
export interface ProjectFormModel {
  code: string
  name: string
  level: string
  nature: string
  industry: string
  region_id: number | null
  total_investment_wan: string
  owner: string
  unit: string
  person: string
  leader: string
  is_demo: boolean
  status: string
  planned_start: string | null
  planned_end: string | null
  content: string
  plan_year: string
  plan_wan: string
}

export const EDITABLE_FIELDS: (keyof ProjectFormModel)[] = [
  'code', 'name', 'level', 'nature', 'industry', 'region_id', 'total_investment_wan', 'owner', 'unit', 'person', 'leader',
  'is_demo', 'status', 'planned_start', 'planned_end', 'content',
]

export function blankModel(year?: number): ProjectFormModel {
  return {
    code: '', name: '', level: '', nature: '', industry: '', region_id: null, total_investment_wan: '', owner: '', unit: '', person: '',
    leader: '', is_demo: false, status: '', planned_start: null, planned_end: null, content: '', plan_year: year ? String(year) : '', plan_wan: '',
  }
}

export function modelFromProject(p: Project): ProjectFormModel {
  return {
    code: p.code ?? '',
    name: p.name ?? '',
    level: p.level ?? '',
    nature: p.nature ?? '',
    industry: p.industry ?? '',
    region_id: p.region_id ?? null,
    total_investment_wan: p.total_investment_wan === null || p.total_investment_wan === undefined ? '' : String(p.total_investment_wan),
    owner: p.owner ?? '',
    unit: p.unit ?? '',
    person: p.person ?? '',
    leader: p.leader ?? '',
    is_demo: !!p.is_demo,
    status: p.status ?? '',
    planned_start: p.planned_start || null,
    planned_end: p.planned_end || null,
    content: p.content ?? '',
    plan_year: '',
    plan_wan: '',
  }
}

/** The JSON the server takes. */
export function toInput(m: ProjectFormModel, opts: { version?: number; withPlan?: boolean }): ProjectInput {
  const num = (s: string) => (s.trim() === '' ? null : Number(s.trim()))
  const out: ProjectInput = {
    code: m.code.trim(),
    name: m.name.trim(),
    level: m.level as Project['level'],
    nature: m.nature,
    industry: m.industry.trim(),
    region_id: m.region_id,
    total_investment_wan: wanToSend(m.total_investment_wan),
    owner: m.owner.trim(),
    unit: m.unit.trim(),
    person: m.person.trim(),
    leader: m.leader.trim(),
    is_demo: m.is_demo,
    status: m.status,
    planned_start: m.planned_start || null,
    planned_end: m.planned_end || null,
    content: m.content,
  }
  if (opts.version !== undefined) out.version = opts.version
  if (opts.withPlan && m.plan_wan.trim() !== '') {
    out.plan_year = num(m.plan_year)
    out.plan_wan = wanToSend(m.plan_wan)
  }
  return out
}

/** The checks of each field, run as the user types. */
export function projectChecks(model: () => ProjectFormModel): Partial<Record<keyof ProjectFormModel, { checks: Check[]; required?: boolean }>> {
  return {
    code: { checks: [required('project.code'), codeFormat, maxLength(64)], required: true },
    name: { checks: [required('project.name'), maxLength(200)], required: true },
    level: { checks: [required('project.level', true)], required: true },
    total_investment_wan: { checks: [amountWan] },
    plan_wan: { checks: [amountWan] },
    plan_year: { checks: [intRange(1990, 2100)] },
    planned_end: { checks: [dateOrder(() => model().planned_start)] },
    industry: { checks: [maxLength(100)] },
    owner: { checks: [maxLength(200)] },
    unit: { checks: [maxLength(200)] },
    person: { checks: [maxLength(50)] },
    leader: { checks: [maxLength(50)] },
    content: { checks: [maxLength(4000)] },
  }
}

/** Every field's first error (message keys translated by `t`); empty when the form may be sent. */
export function validateModel(m: ProjectFormModel, t: (k: string, p?: Record<string, unknown>) => string, withPlan: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(projectChecks(() => m))) {
    if (!v || (!withPlan && (k === 'plan_wan' || k === 'plan_year'))) continue
    const msg = firstError(m[k as keyof ProjectFormModel], v.checks, t)
    if (msg) out[k] = msg
  }
  return out
}

const DRAFT_PREFIX = 'kp.draft.project.'

/**
 * The create/edit dialog's state. A failed save keeps everything typed (and a copy survives a reload
 * in sessionStorage); the server's field error is shown on its field; a stale version (409) offers to
 * load the latest version while keeping the fields the user changed.
 */
export function useProjectForm(onSaved: (p: Project) => void) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const formRef = ref<FormInstance>()
  const visible = ref(false)
  const mode = ref<'create' | 'edit'>('create')
  const editing = ref<Project | null>(null)
  const model = reactive<ProjectFormModel>(blankModel())
  const original = ref<ProjectFormModel>(blankModel())
  const serverErrors = reactive<Record<string, string>>({})
  const alert = ref<{ type: 'error' | 'warning' | 'info'; text: string } | null>(null)
  const conflict = ref(false)
  const saving = ref(false)
  const restoredDraft = ref(false)

  const checks = projectChecks(() => model)
  const rules = computed<FormRules>(() => {
    const r: FormRules = {}
    for (const [k, v] of Object.entries(checks)) if (v) r[k] = toRules(v.checks, t, v.required)
    return r
  })

  const draftKey = () => DRAFT_PREFIX + (mode.value === 'edit' && editing.value ? editing.value.id : 'new')
  function saveDraft() {
    try {
      sessionStorage.setItem(draftKey(), JSON.stringify({ model, version: editing.value?.version ?? null }))
    } catch {
      /* no storage */
    }
  }
  function takeDraft(): ProjectFormModel | null {
    try {
      const raw = sessionStorage.getItem(draftKey())
      return raw ? ({ ...blankModel(), ...(JSON.parse(raw).model as ProjectFormModel) }) : null
    } catch {
      return null
    }
  }
  function clearDraft() {
    try {
      sessionStorage.removeItem(draftKey())
    } catch {
      /* no storage */
    }
  }

  function clearMessages() {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
    alert.value = null
    conflict.value = false
  }

  function open(p: Project | null, defaults: { year?: number } = {}) {
    clearMessages()
    mode.value = p ? 'edit' : 'create'
    editing.value = p
    original.value = p ? modelFromProject(p) : blankModel(defaults.year)
    const draft = takeDraft()
    Object.assign(model, draft ?? original.value)
    restoredDraft.value = !!draft && JSON.stringify(draft) !== JSON.stringify(original.value)
    visible.value = true
    setTimeout(() => formRef.value?.clearValidate(), 0)
  }

  /** Cancel: the user chose to drop the changes. */
  function cancel() {
    clearDraft()
    visible.value = false
  }

  const dirty = computed(() => EDITABLE_FIELDS.some((k) => model[k] !== original.value[k]) || model.plan_wan !== original.value.plan_wan)

  /**
   * × or Esc: with changes, ask whether to discard them (no draft silently comes back next time); without, just close.
   * Keeping the changes keeps the dialog open.
   */
  async function beforeClose(done: () => void) {
    if (dirty.value) {
      try {
        await ElMessageBox.confirm(t('projects.discardText'), t('projects.discardTitle'), {
          confirmButtonText: t('projects.discard'),
          cancelButtonText: t('projects.keepEditing'),
          type: 'warning',
          distinguishCancelAndClose: true,
        })
      } catch {
        return
      }
    }
    clearDraft()
    done()
  }

  /** The field a failure is about: the server's `field` (a duplicate code is 409 already_exists on `code`). */
  function duplicateOrField(e: ApiError): string | undefined {
    if (e.field) return e.field === 'region' ? 'region_id' : e.field
    return undefined
  }

  async function submit() {
    clearMessages()
    saveDraft()
    const invalid = validateModel(model, t, mode.value === 'create')
    if (Object.keys(invalid).length) {
      await formRef.value?.validate().catch(() => false) // marks the fields in red
      alert.value = { type: 'error', text: t('projects.invalidFields') }
      return
    }
    saving.value = true
    try {
      const saved =
        mode.value === 'edit' && editing.value
          ? await updateProject(editing.value.id, toInput(model, { version: editing.value.version }))
          : await createProject(toInput(model, { withPlan: true }))
      clearDraft()
      ElMessage.success(mode.value === 'edit' ? t('projects.saved') : t('projects.created'))
      visible.value = false
      onSaved(saved)
    } catch (e) {
      const field = e instanceof ApiError ? duplicateOrField(e) : undefined
      if (field) {
        serverErrors[field] = errorText(e)
        alert.value = { type: 'error', text: errorText(e) }
      } else if (e instanceof ApiError && e.status === 409) {
        conflict.value = true
        alert.value = { type: 'warning', text: t('projects.conflict') }
      } else {
        alert.value = { type: 'error', text: errorText(e) }
      }
    } finally {
      saving.value = false
    }
  }

  /** After a 409: take the latest version, keep every field the user changed. */
  async function reloadLatest() {
    if (!editing.value) return
    try {
      const latest = await getProject(editing.value.id)
      const fresh = modelFromProject(latest)
      for (const k of EDITABLE_FIELDS) {
        if (model[k] === original.value[k]) (model as unknown as Record<string, unknown>)[k] = fresh[k]
      }
      original.value = fresh
      editing.value = latest
      conflict.value = false
      alert.value = { type: 'info', text: t('projects.reloadedKept') }
      saveDraft()
    } catch (e) {
      alert.value = { type: 'error', text: errorText(e) }
    }
  }

  function onFieldInput(field: string) {
    if (serverErrors[field]) delete serverErrors[field]
    saveDraft()
  }

  return { formRef, visible, mode, editing, model, rules, serverErrors, alert, conflict, saving, dirty, restoredDraft, open, cancel, beforeClose, submit, reloadLatest, onFieldInput, clearDraft }
}
