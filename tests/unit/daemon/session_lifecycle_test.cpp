// The session status table, every row of it: each event from each status, with and without
// an open question and a turn under way.
#include "daemon/session_lifecycle.hpp"

#include <gtest/gtest.h>

#include <array>

namespace tether::daemon {
namespace {

using S = core::SessionStatus;
using E = SessionEvent;

constexpr std::array kAll{S::starting, S::running, S::waiting_for_approval, S::idle, S::exited, S::error};

std::optional<S> next(S from, E event, bool turn_active = false, bool questions_open = false) {
  return next_status(from, event, SessionFacts{turn_active, questions_open});
}

TEST(SessionLifecycle, OnlyExitedAndErrorAreNotLive) {
  for (const S s : kAll) EXPECT_EQ(is_live(s), s != S::exited && s != S::error) << core::to_string(s);
}

TEST(SessionLifecycle, StartingAProcessStartsFromAnyStatus) {
  for (const S s : kAll) EXPECT_EQ(next(s, E::started), S::starting) << core::to_string(s);
}

TEST(SessionLifecycle, ATurnRunsAndEndsIdleUnlessAQuestionIsOpen) {
  for (const S s : kAll) {
    EXPECT_EQ(next(s, E::turn_started), S::running) << core::to_string(s);
    EXPECT_EQ(next(s, E::turn_started, false, true), S::waiting_for_approval) << core::to_string(s);
    EXPECT_EQ(next(s, E::turn_finished, true), S::idle) << core::to_string(s);
    EXPECT_EQ(next(s, E::turn_finished, false, true), S::waiting_for_approval) << core::to_string(s);
  }
}

TEST(SessionLifecycle, AQuestionWaitsAndTheLastAnswerResumesWhatWasUnderWay) {
  for (const S s : kAll) EXPECT_EQ(next(s, E::question_asked, true, true), S::waiting_for_approval) << core::to_string(s);
  EXPECT_EQ(next(S::waiting_for_approval, E::question_answered, true, false), S::running);
  EXPECT_EQ(next(S::waiting_for_approval, E::question_answered, false, false), S::idle);
  // Another question still open: still waiting.
  EXPECT_EQ(next(S::waiting_for_approval, E::question_answered, true, true), std::nullopt);
  // An answer while the session is not waiting (denied as it stops or exits) changes nothing.
  for (const S s : kAll) {
    if (s == S::waiting_for_approval) continue;
    EXPECT_EQ(next(s, E::question_answered, true, false), std::nullopt) << core::to_string(s);
    EXPECT_EQ(next(s, E::question_answered, false, false), std::nullopt) << core::to_string(s);
  }
}

TEST(SessionLifecycle, FailuresAreErrorsAndEndsAreExits) {
  for (const S s : kAll) {
    EXPECT_EQ(next(s, E::failed), S::error) << core::to_string(s);
    EXPECT_EQ(next(s, E::exited_failed, true, true), S::error) << core::to_string(s);
    EXPECT_EQ(next(s, E::exited, true, true), S::exited) << core::to_string(s);
    EXPECT_EQ(next(s, E::stopped), S::exited) << core::to_string(s);
  }
}

TEST(SessionLifecycle, ARestartEndsWhatWasLiveAndLeavesTheRest) {
  for (const S s : kAll) {
    EXPECT_EQ(next(s, E::daemon_restarted), is_live(s) ? std::optional(S::exited) : std::nullopt) << core::to_string(s);
  }
}

}  // namespace
}  // namespace tether::daemon
