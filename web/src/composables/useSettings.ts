import { computed, reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInstance, FormRules } from 'element-plus'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'
import { createUser, listUsers, updateSettings, updateUser } from '@/api/system'
import { exportUsers } from '@/api/transfer'
import { useExport } from './useExport'
import { ROLES, type Role, type Settings, type User } from '@/api/types'
import { regionTree, useLookups } from './useLookups'
import { intRange, maxLength, passwordPolicy, required, toRules, type Check } from './validators'
import { useErrorText } from './useErrorText'

function clear(o: Record<string, string>) {
  for (const k of Object.keys(o)) delete o[k]
}

/** 设置: the year, schedule rule and deadline; the region tree; the users. */
export function useSettings() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const lookups = useLookups()

  // general settings
  const general = reactive<{
    current_year: string; schedule: 'month' | 'day'; report_deadline_day: string; home_region_id: number | null
    headline_threshold_pct: string; pinned_month: string; reminder_hour: string; report_pct_decimals: string
  }>({
    current_year: '', schedule: 'month', report_deadline_day: '', home_region_id: null, headline_threshold_pct: '', pinned_month: '', reminder_hour: '', report_pct_decimals: '',
  })
  const generalRef = ref<FormInstance>()
  const generalErrors = reactive<Record<string, string>>({})
  const generalAlert = ref('')
  const generalSaving = ref(false)
  const generalRules = computed<FormRules>(() => ({
    current_year: toRules([required('settings.currentYear'), intRange(1990, 2100)], t, true),
    report_deadline_day: toRules([required('settings.deadlineDay'), intRange(1, 28)], t, true),
    headline_threshold_pct: toRules([required('settings.threshold'), intRange(0, 100)], t, true),
    reminder_hour: toRules([required('settings.reminderHour'), intRange(0, 23)], t, true),
    report_pct_decimals: toRules([required('settings.reportDecimals'), intRange(0, 4)], t, true),
  }))
  function fillGeneral(s: Settings) {
    general.current_year = String(s.current_year)
    general.schedule = s.schedule
    general.report_deadline_day = String(s.report_deadline_day)
    general.home_region_id = s.home_region_id
    general.headline_threshold_pct = String(s.headline_threshold_pct ?? 80)
    general.pinned_month = s.pinned_month ?? ''
    general.reminder_hour = String(s.reminder_hour ?? 8)
    general.report_pct_decimals = String(s.report_pct_decimals ?? 2)
  }
  async function saveGeneral() {
    clear(generalErrors)
    generalAlert.value = ''
    const ok = await generalRef.value?.validate().catch(() => false)
    if (generalRef.value && !ok) return
    generalSaving.value = true
    try {
      const saved = await updateSettings({
        current_year: Number(general.current_year),
        schedule: general.schedule,
        report_deadline_day: Number(general.report_deadline_day),
        home_region_id: general.home_region_id,
        headline_threshold_pct: Number(general.headline_threshold_pct),
        pinned_month: general.pinned_month || null,
        reminder_hour: Number(general.reminder_hour),
        report_pct_decimals: Number(general.report_pct_decimals),
      })
      lookups.settings.value = saved && typeof saved === 'object' && 'current_year' in saved ? saved : lookups.settings.value
      await lookups.loadSettings(true)
      ElMessage.success(t('settings.saved'))
    } catch (e) {
      if (e instanceof ApiError && e.field) generalErrors[e.field] = errorText(e)
      generalAlert.value = errorText(e)
    } finally {
      generalSaving.value = false
    }
  }

  // the region pickers (home region, a user's region): regions in use; the tree itself is RegionManager's
  const tree = computed(() => regionTree(lookups.regions.value))

  // users
  const users = shallowRef<User[]>([])
  const usersLoading = ref(false)
  const usersError = ref('')
  async function loadUsers() {
    usersLoading.value = true
    usersError.value = ''
    try {
      users.value = (await listUsers()).items
    } catch (e) {
      usersError.value = e instanceof ApiError && e.status === 404 ? t('settings.usersUnavailable') : errorText(e)
    } finally {
      usersLoading.value = false
    }
  }
  const userDialog = ref(false)
  const editingUser = ref<User | null>(null)
  const userForm = reactive<{ login: string; display_name: string; role: Role; unit: string; region_id: number | null; disabled: boolean; password: string }>({
    login: '', display_name: '', role: 'department', unit: '', region_id: null, disabled: false, password: '',
  })
  const userRef = ref<FormInstance>()
  const userErrors = reactive<Record<string, string>>({})
  const userAlert = ref('')
  const userSaving = ref(false)
  const needsUnit = computed(() => ['department', 'owner', 'bank'].includes(userForm.role))
  const unitRequired: Check = (v) => (needsUnit.value ? required('settings.unit')(v) : null)
  const userRules = computed<FormRules>(() => ({
    login: editingUser.value ? [] : toRules([required('settings.login'), maxLength(64)], t, true),
    display_name: toRules([required('settings.displayName'), maxLength(64)], t, true),
    role: toRules([required('settings.role', true)], t, true),
    unit: toRules([unitRequired, maxLength(200)], t, needsUnit.value),
    password: toRules(editingUser.value ? [(v) => (v ? passwordPolicy(v) : null)] : [required('settings.password'), passwordPolicy], t, !editingUser.value),
  }))
  function openUser(u: User | null) {
    editingUser.value = u
    userForm.login = u?.login ?? ''
    userForm.display_name = u?.display_name ?? ''
    userForm.role = u?.role ?? 'department'
    userForm.unit = u?.unit ?? ''
    userForm.region_id = u?.region_id ?? null
    userForm.disabled = !!u?.disabled
    userForm.password = ''
    clear(userErrors)
    userAlert.value = ''
    userDialog.value = true
    setTimeout(() => userRef.value?.clearValidate(), 0)
  }
  async function saveUser() {
    clear(userErrors)
    userAlert.value = ''
    const ok = await userRef.value?.validate().catch(() => false)
    if (userRef.value && !ok) return
    userSaving.value = true
    try {
      const body = {
        display_name: userForm.display_name.trim(),
        role: userForm.role,
        unit: userForm.unit.trim(),
        region_id: userForm.region_id,
      }
      if (editingUser.value) {
        await updateUser(editingUser.value.id, { ...body, disabled: userForm.disabled, ...(userForm.password ? { password: userForm.password } : {}) })
      } else {
        await createUser({ ...body, login: userForm.login.trim(), password: userForm.password })
      }
      ElMessage.success(t('settings.userSaved'))
      userDialog.value = false
      await loadUsers()
    } catch (e) {
      if (e instanceof ApiError && e.field) userErrors[e.field] = errorText(e)
      userAlert.value = errorText(e)
    } finally {
      userSaving.value = false
    }
  }
  async function toggleDisabled(u: User) {
    if (!u.disabled) {
      try {
        await ElMessageBox.confirm(t('settings.disableConfirm', { name: u.display_name || u.login }), t('settings.disable'), {
          type: 'warning', confirmButtonText: t('settings.disable'), cancelButtonText: t('common.cancel'),
        })
      } catch {
        return
      }
    }
    try {
      await updateUser(u.id, { display_name: u.display_name, role: u.role, unit: u.unit ?? '', region_id: u.region_id ?? null, disabled: !u.disabled })
      ElMessage.success(t('settings.userSaved'))
      await loadUsers()
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }
  const { exporting: usersExporting, run: runExport } = useExport()
  /** The users list as the server's .xlsx. */
  const exportUsersXlsx = () => runExport(exportUsers)

  const regionName = (id: number | null | undefined) => lookups.regions.value.find((r) => r.id === id)?.name ?? ''

  async function load() {
    await Promise.all([lookups.loadSettings(true), lookups.loadRegions(true), loadUsers()])
    if (lookups.settings.value) fillGeneral(lookups.settings.value)
  }

  return {
    roles: ROLES, general, generalRef, generalErrors, generalAlert, generalSaving, generalRules, saveGeneral,
    tree,
    users, usersLoading, usersError, userDialog, editingUser, userForm, userRef, userErrors, userAlert, userSaving, userRules, needsUnit, openUser, saveUser, toggleDisabled,
    usersExporting, exportUsersXlsx, regionName, load,
  }
}
