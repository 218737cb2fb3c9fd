// The mirror's wire format: one JSON object per line, written by `astro remote export` on the
// host and read by the local mirror. Records: "run" (the run row and its stages), "event", "tree",
// "samples" (one whole sample set), "commit" (apply everything since the last commit, with the
// cursor it reaches, in one local transaction) and "end". docs/remote.md has the fields.
#pragma once

#include <nlohmann/json.hpp>

#include "core/store/workspace.h"

namespace astro::remote {

inline constexpr int kMirrorFormatVersion = 1;

nlohmann::json runRecord(const store::Run& run, const std::vector<store::Stage>& stages,
                         bool workerAlive);
nlohmann::json eventRecord(const store::Event& event);
nlohmann::json treeRecord(const store::StoredTree& tree);
nlohmann::json samplesRecord(const store::SampleSet& set, std::int64_t lastId,
                             const std::vector<store::StoredSample>& rows);
nlohmann::json cursorJson(const store::MirrorCursor& cursor);

// The reverse; each throws astro::Error naming the field that is missing or malformed.
store::Event eventFromRecord(const nlohmann::json& record, std::int64_t runId);
store::NewTree treeFromRecord(const nlohmann::json& record, std::int64_t runId);
store::Stage stageFromRecord(const nlohmann::json& record);
store::SampleRow sampleRowFromRecord(const nlohmann::json& record);
store::MirrorCursor cursorFromJson(const nlohmann::json& json);
// A text field of a record: a JSON string, or {"hex": ...} for bytes that are not UTF-8.
std::string recordText(const nlohmann::json& value);

}  // namespace astro::remote
