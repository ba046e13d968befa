import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import { useRouter } from 'vue-router'
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '@/api/reminders'
import type { Notification, NotificationList } from '@/api/types'
import { useErrorText } from './useErrorText'

/** How often the bell asks the server (ms). */
export const BELL_POLL_MS = 60_000
/** How many of the latest notifications the bell shows. */
export const BELL_LIMIT = 30

/** The badge's text: nothing at 0, the count up to 99, then "99+". */
export function badgeText(unread: number): string {
  if (!unread || unread < 0) return ''
  return unread > 99 ? '99+' : String(unread)
}

/** The list after one notification was read here: that item marked, the count down by one if it was unread. */
export function withRead(list: NotificationList, id: number): NotificationList {
  let dropped = 0
  const items = list.items.map((n) => {
    if (n.id !== id || n.read) return n
    dropped = 1
    return { ...n, read: true }
  })
  return { unread: Math.max(0, list.unread - dropped), items }
}

/** The list after "mark all read". */
export function withAllRead(list: NotificationList): NotificationList {
  return { unread: 0, items: list.items.map((n) => (n.read ? n : { ...n, read: true })) }
}

/** Where a notification leads: its project's page, or nowhere. */
export function notificationTarget(n: Notification): string | null {
  if (!n.project_id) return null
  // a leader's instruction and its answer open the project's 批示 tab
  return n.kind === 'instruction' || n.kind === 'instruction_answered' ? `/projects/${n.project_id}?tab=instructions` : `/projects/${n.project_id}`
}

/**
 * The header's bell: the signed-in user's latest notifications and unread count, asked for now and every
 * minute while the page is open; opening one marks it read and goes to its project.
 */
export function useBell(pollMs = BELL_POLL_MS) {
  const router = useRouter()
  const errorText = useErrorText()
  const list = shallowRef<NotificationList>({ unread: 0, items: [] })
  const loading = ref(false)
  const error = ref('')
  const busy = ref(false)
  let timer: ReturnType<typeof setInterval> | null = null

  async function refresh() {
    loading.value = true
    try {
      list.value = await listNotifications({ limit: BELL_LIMIT })
      error.value = ''
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  async function open(n: Notification) {
    if (!n.read) {
      try {
        await markNotificationRead(n.id)
        list.value = withRead(list.value, n.id)
      } catch (e) {
        error.value = errorText(e)
      }
    }
    const to = notificationTarget(n)
    if (to) await router.push(to)
  }

  async function markAll() {
    busy.value = true
    try {
      await markAllNotificationsRead()
      list.value = withAllRead(list.value)
    } catch (e) {
      error.value = errorText(e)
    } finally {
      busy.value = false
    }
  }

  function start() {
    stop()
    void refresh()
    timer = setInterval(() => void refresh(), pollMs)
  }
  function stop() {
    if (timer) clearInterval(timer)
    timer = null
  }
  onMounted(start)
  onBeforeUnmount(stop)

  return { list, loading, error, busy, refresh, open, markAll, start, stop }
}
