#include "domain/tour_model.h"

namespace kp {

const char* TourStatusName(TourStatus s) {
  switch (s) {
    case TourStatus::kPlanning: return "planning";
    case TourStatus::kRunning: return "running";
    case TourStatus::kEnded: return "ended";
  }
  return "planning";
}

const char* TourStatusLabel(TourStatus s) {
  switch (s) {
    case TourStatus::kPlanning: return "筹备";
    case TourStatus::kRunning: return "进行中";
    case TourStatus::kEnded: return "已结束";
  }
  return "筹备";
}

bool ParseTourStatus(const std::string& s, TourStatus& out) {
  for (TourStatus t : {TourStatus::kPlanning, TourStatus::kRunning, TourStatus::kEnded}) {
    if (s == TourStatusName(t) || s == TourStatusLabel(t)) {
      out = t;
      return true;
    }
  }
  return false;
}

}  // namespace kp
