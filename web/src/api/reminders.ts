// Reminders: the signed-in user's bell, and the admin's group robots with their delivery log.
import { http } from './http'
import type { NotificationList, Webhook, WebhookDelivery, WebhookInput } from './types'

export const listNotifications = (q: { limit?: number; unread?: boolean } = {}) =>
  http.get<NotificationList>('/api/notifications', { limit: q.limit, unread: q.unread ? 1 : undefined }, { quiet: true })
export const markNotificationRead = (id: number) => http.post<{ read: number }>(`/api/notifications/${id}/read`)
export const markAllNotificationsRead = () => http.post<{ read: 'all' }>('/api/notifications/read-all')

export const listWebhooks = () => http.get<{ items: Webhook[] }>('/api/webhooks')
export const createWebhook = (w: WebhookInput) => http.post<Webhook>('/api/webhooks', w)
export const updateWebhook = (id: number, w: WebhookInput) => http.put<Webhook>(`/api/webhooks/${id}`, w)
export const deleteWebhook = (id: number) => http.del<{ deleted: number }>(`/api/webhooks/${id}`)
export const listWebhookDeliveries = () => http.get<{ items: WebhookDelivery[] }>('/api/webhooks/deliveries')
