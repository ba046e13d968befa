// ECharts, registered once with only what the app draws.
import { use } from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, DataZoomComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, DataZoomComponent, CanvasRenderer])

export const AHEAD_COLOR = '#2e9b4f'
export const BEHIND_COLOR = '#d9363e'
export const SCHEDULE_COLOR = '#e6a23c'
export const PLAN_COLOR = '#9db7dc'
