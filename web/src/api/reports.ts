import { http } from './http'
import type { MonthlyReport, ReportStatus } from './types'

export const getReportStatus = (month: string) => http.get<ReportStatus>('/api/reports/status', { month })
export const listMonthReports = (month: string) => http.get<{ month: string; items: MonthlyReport[] }>('/api/reports', { month })
