#pragma once
// Leaders' instructions (领导批示): a leader (or the bureau) writes one on a project; its owner and
// responsible unit hear of it in the bell and answer with what was done (落实情况); the giver hears of the
// answer. It stays in the project's record, open until answered; nothing is deleted.
#include <vector>

#include "domain/instruction_model.h"
#include "domain/register.h"
#include "store/instruction_store.h"

namespace kp {

class Instructions {
 public:
  Instructions(store::Store& store, Register& reg) : instructions_(store.db()), store_(store), reg_(reg) {}

  // Leaders and the bureau give instructions.
  static bool MayGive(const User& u);
  // The bureau, and the project's owner and responsible unit, answer.
  static bool MayAnswer(const User& u, const Project& p);

  Result<Instruction> Give(const Project& p, const std::string& text, const User& by, const Actor& actor);
  Result<std::vector<Instruction>> OfProject(int64_t project_id) { return instructions_.OfProject(project_id); }
  Result<Instruction> Get(int64_t id) { return instructions_.Get(id); }
  // Every unanswered instruction (newest first): the leaders' page narrows them to what it shows.
  Result<std::vector<Instruction>> Open() { return instructions_.Open(); }
  Result<Instruction> Answer(const Instruction& in, const Project& p, int64_t version, const std::string& answer,
                             const User& by, const Actor& actor);

 private:
  store::InstructionStore instructions_;
  store::Store& store_;
  Register& reg_;
};

}  // namespace kp
