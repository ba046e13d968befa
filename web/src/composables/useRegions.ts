import { computed, reactive, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInstance, FormRules } from 'element-plus'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'
import { createRegion, mergeRegion, retireRegion, updateRegion } from '@/api/system'
import type { Region } from '@/api/types'
import { mergeTargets, regionTree, useLookups } from './useLookups'
import { maxLength, required, toRules } from './validators'
import { useErrorText } from './useErrorText'

function clear(o: Record<string, string>) {
  for (const k of Object.keys(o)) delete o[k]
}

/**
 * 地区管理 (admin): the tree with its retired regions marked; add, rename, merge into another region
 * (its projects, child regions and users move; it is retired) and retire an empty one. The server
 * holds the rules and says which field is wrong.
 */
export function useRegions() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const lookups = useLookups()
  const showRetired = ref(false)
  const tree = computed(() => regionTree(lookups.regions.value, { withRetired: showRetired.value }))
  const retiredCount = computed(() => lookups.regions.value.filter((r) => r.retired).length)
  const byId = computed(() => new Map(lookups.regions.value.map((r) => [r.id, r])))
  const regionOf = (id: number | null | undefined): Region | undefined => (id == null ? undefined : byId.value.get(id))
  /** "已停用" or "已并入 乙镇" for a retired region, '' for one in use. */
  function retiredLabel(id: number): string {
    const r = regionOf(id)
    if (!r?.retired) return ''
    const into = regionOf(r.merged_into)
    return into ? t('regions.mergedInto', { name: into.name }) : t('regions.retired')
  }

  // add and rename: one dialog
  const dialog = ref(false)
  const editing = ref<Region | null>(null)
  const form = reactive<{ parent_id: number | null; name: string; code: string }>({ parent_id: null, name: '', code: '' })
  const formRef = ref<FormInstance>()
  const errors = reactive<Record<string, string>>({})
  const alert = ref('')
  const saving = ref(false)
  const rules = computed<FormRules>(() => ({
    name: toRules([required('settings.regionName'), maxLength(50)], t, true),
    code: toRules([required('settings.regionCode'), maxLength(20)], t, true),
  }))
  const parentName = computed(() => regionOf(form.parent_id)?.name ?? '')
  function open(parentId: number | null, region: Region | null = null) {
    editing.value = region
    form.parent_id = region ? region.parent_id : parentId
    form.name = region?.name ?? ''
    form.code = region?.code ?? ''
    clear(errors)
    alert.value = ''
    dialog.value = true
  }
  const add = (parentId: number | null) => open(parentId)
  const edit = (id: number) => open(null, regionOf(id) ?? null)
  async function save() {
    clear(errors)
    alert.value = ''
    const ok = await formRef.value?.validate().catch(() => false)
    if (formRef.value && !ok) return
    saving.value = true
    try {
      const body = { name: form.name.trim(), code: form.code.trim() }
      if (editing.value) await updateRegion(editing.value.id, body)
      else await createRegion({ parent_id: form.parent_id, ...body })
      ElMessage.success(t(editing.value ? 'regions.renamed' : 'settings.regionAdded'))
      dialog.value = false
      await lookups.loadRegions(true)
    } catch (e) {
      if (e instanceof ApiError && e.field && e.field !== 'id') errors[e.field] = errorText(e)
      alert.value = errorText(e)
    } finally {
      saving.value = false
    }
  }

  // merge
  const mergeDialog = ref(false)
  const merging = ref<Region | null>(null)
  const mergeInto = ref<number | null>(null)
  const mergeError = ref('')
  const mergeAlert = ref('')
  const mergeSaving = ref(false)
  watch(mergeInto, () => (mergeError.value = ''))
  const targets = computed(() => (merging.value ? mergeTargets(lookups.regions.value, merging.value.id) : []))
  function openMerge(id: number) {
    merging.value = regionOf(id) ?? null
    mergeInto.value = null
    mergeError.value = ''
    mergeAlert.value = ''
    mergeDialog.value = true
  }
  async function saveMerge() {
    mergeError.value = ''
    mergeAlert.value = ''
    if (!merging.value) return
    if (mergeInto.value == null) {
      mergeError.value = t('regions.pickTarget')
      return
    }
    const into = regionOf(mergeInto.value)
    mergeSaving.value = true
    try {
      const m = await mergeRegion(merging.value.id, mergeInto.value)
      ElMessage.success(t('regions.merged', { from: merging.value.name, into: into?.name ?? '', projects: m.projects_moved, regions: m.regions_moved, users: m.users_moved }))
      mergeDialog.value = false
      await lookups.loadRegions(true)
    } catch (e) {
      if (e instanceof ApiError && e.field === 'into_id') mergeError.value = errorText(e)
      else mergeAlert.value = errorText(e)
    } finally {
      mergeSaving.value = false
    }
  }

  // retire
  async function retire(id: number) {
    const r = regionOf(id)
    if (!r) return
    try {
      await ElMessageBox.confirm(t('regions.retireConfirm', { name: r.name }), t('regions.retire'), {
        type: 'warning',
        confirmButtonText: t('regions.retire'),
        cancelButtonText: t('common.cancel'),
      })
    } catch {
      return
    }
    try {
      await retireRegion(id)
      ElMessage.success(t('regions.retiredDone', { name: r.name }))
      await lookups.loadRegions(true)
    } catch (e) {
      ElMessage({ type: 'error', message: errorText(e), duration: 6000, showClose: true })
    }
  }

  return {
    showRetired, tree, retiredCount, retiredLabel,
    dialog, editing, form, formRef, errors, alert, saving, rules, parentName, add, edit, save,
    mergeDialog, merging, mergeInto, mergeError, mergeAlert, mergeSaving, targets, openMerge, saveMerge,
    retire,
  }
}
