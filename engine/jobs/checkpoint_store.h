// SPDX-License-Identifier: GPL-3.0-or-later
// A run's files in the catalog: its checkpoints (written to a temporary
// name, synced and renamed before their row commits; the last K periodic
// ones and the newest best one kept) and its own copy of the tokenizer.
#pragma once

#include "catalog/records.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Catalog;

// The checkpoints whose weights make up run `runId`'s model at `step` (its
// latest when unset), oldest first: a fine-tuned run's parent chain, then
// its own. InputError naming the run and step when one is gone.
std::vector<std::filesystem::path> checkpointChain(Catalog& catalog, std::int64_t runId,
                                                   std::optional<std::int64_t> step = std::nullopt);

class CheckpointStore {
public:
    CheckpointStore(Catalog& catalog, std::int64_t runId, int keep);

    // Writes a checkpoint with `write` (which writes to the path it is
    // given) and records it; `beforeRecord` runs between the two (the
    // metrics up to the checkpoint are flushed first). ResourceError naming
    // the free space when the write fails.
    void save(std::int64_t step, const std::function<void(const std::filesystem::path&)>& write, bool best,
              const std::function<void()>& beforeRecord = {});
    // The newest periodic checkpoint, if any.
    std::optional<ArtifactRecord> latest() const;
    // Stores the run's copy of its tokenizer (replacing an older copy):
    // decoding never depends on the tokenizer staying in the catalog.
    void storeTokenizer(const std::string& bytes, const std::string& extension);

private:
    void prune(const std::string& kind, std::size_t keep);

    Catalog& m_catalog;
    std::int64_t m_runId;
    int m_keep;
    std::string m_dir; // runs/<id>, relative to the catalog's artifacts
};

} // namespace wb
