// The "verl" generation format: verl's rollout/validation dump (trainer.rollout_data_dir /
// validation_data_dir, RayPPOTrainer._dump_generations): {"input", "output", "score", "step",
// optional "gts", "data_source", reward extras}; "input" is the chat-templated prompt. "score"
// (or "acc"; a number or a boolean) is verl's own grade, kept when the line has no gold answer.
// A line is verl when its object has both "input" and "output".
#pragma once

#include <string_view>

#include "json_line.h"

namespace generation_formats {

bool detectsVerl(std::string_view line);
Sample readVerl(std::string_view line);  // throws LineError naming the field

}  // namespace generation_formats
