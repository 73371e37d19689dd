// SPDX-License-Identifier: GPL-3.0-or-later
// Run use cases both front ends call: start, resume, queue, claim, control,
// sweeps. Each returns a job that has not started yet (the caller attaches
// its listener and calls start()), or throws InputError naming the problem.
#pragma once

#include "catalog/records.h"
#include "core/events.h"
#include "jobs/sweep.h"
#include "jobs/training_job.h"
#include "compute/runtime.h"
#include "settings/run_config.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wb {

class Catalog;

// A new run: validated, stored as queued, ready to start.
std::unique_ptr<TrainingJob> newRun(const std::filesystem::path& catalogFile, const RunConfig& config, EventListener listener);
// Continues a stopped, interrupted, diverged or finished run; `totalSteps` > 0 sets a new total.
std::unique_ptr<TrainingJob> resumedRun(const std::filesystem::path& catalogFile, std::int64_t run, std::int64_t totalSteps,
                                        EventListener listener);

// A fine-tuning run of `parent` on `corpus` (methods.md B7/B10): the
// parent's spec and tokenizer, its latest checkpoint as the start, and the
// training settings from the table's defaults with `values` (by key, as
// typed: task, method, lr, steps, ...) applied. InputError for a parent that
// is missing, has no checkpoint or is still training, for a tokenizer other
// than the parent's, or for a target corpus that does not exist.
struct FinetuneRequest {
    std::int64_t parent = 0;
    std::string corpus;
    std::string tokenizer; // empty: the parent's; anything else must name it
    std::vector<std::pair<std::string, std::string>> values;
};
RunConfig finetuneConfig(Catalog& catalog, const FinetuneRequest& request);

// What a fine-tuning run would train, before it starts: its parameters,
// the method's share of them, and which layers that is.
struct FinetunePreview {
    std::int64_t parameters = 0;
    std::int64_t trainable = 0;
    std::string trains; // "wte, wpe, ln_f (embeddings and output layer)"
    std::int64_t parentStep = 0;
};
FinetunePreview previewFinetune(Catalog& catalog, const FinetuneRequest& request);

// A distilled run (methods.md B6): a student spec or preset trained on
// `corpus` with the teacher run's softened outputs beside the labels. The
// teacher's tokenizer unless `tokenizer` names another (then refused when
// the run is prepared, with both names); the student's context is cut to
// the teacher's when it is longer and `values` do not set it. InputError for
// a teacher that is missing, still training or without a checkpoint.
struct DistillRequest {
    std::int64_t teacher = 0;
    // lm: token-level distillation of a language model; classify: a
    // fine-tuned classifier teaches a student classifier on the same labels.
    Task kind = Task::Lm;
    // The two-stage route: the student starts from this run's weights (a
    // student distilled as a language model, say), with its spec; unset: a
    // new student from `student`.
    std::optional<std::int64_t> studentRun;
    std::string student;     // preset name or spec file
    std::string studentSpec; // a designed spec as JSON (the GUI); empty: resolve `student`
    std::string corpus;
    std::string tokenizer;
    std::vector<std::pair<std::string, std::string>> values;
};
RunConfig distillConfig(Catalog& catalog, const DistillRequest& request);
// What a distilled run would be, before it starts: the student's and the
// teacher's parameters. InputError for anything distillConfig or the run's
// preparation would refuse (a tokenizer the teacher does not share).
struct DistillPreview {
    std::int64_t studentParams = 0;
    std::int64_t teacherParams = 0;
    int context = 0;
    std::string tokenizer;
};
DistillPreview previewDistill(Catalog& catalog, const DistillRequest& request);
// The same student trained from scratch on the same tokens and settings,
// without the teacher: the baseline that measures what distillation buys.
RunConfig distillBaseline(const RunConfig& distilled);

// Deletes a run: its rows and its files (checkpoints, tokenizer, caches).
// A run with children (fine-tuned, distilled, compressed from it, or taught
// by it) is refused unless `withChildren`, which deletes them too, all of
// their descendants included. A run still training or paused in the queue
// is refused. Returns the ids deleted, parents first.
struct DeletedRuns {
    std::vector<std::int64_t> runs;
    std::size_t files = 0;
};
DeletedRuns deleteRun(Catalog& catalog, std::int64_t run, bool withChildren);
// Every run built on `run` (fine-tuned, distilled, compressed from it, or
// taught by it), all generations, parents before their children.
std::vector<std::int64_t> runsBuiltOn(Catalog& catalog, std::int64_t run);

// Adds a run to the end of the queue (validated first); its id.
std::int64_t queueRun(Catalog& catalog, const RunConfig& config);
// Takes the next queued run for `device` if the device has a free slot on
// this machine; empty when there is none (or the catalog is busy).
std::optional<RunRecord> claimQueuedRun(Catalog& catalog, const std::string& device);
// The job of a claimed run. When it cannot be made (its corpus was removed,
// its config no longer validates), the run is marked failed with the reason
// and the error rethrown: one failure path for the GUI and `lmwb queue run`.
std::unique_ptr<TrainingJob> claimedRunJob(const std::filesystem::path& catalogFile, const RunRecord& claimed,
                                           EventListener listener);

// Expands a sweep file and queues its runs (the GUI's File > Run sweep file).
QueuedSweep queueSweepFile(const std::filesystem::path& catalogFile, const std::string& sweepFile);

} // namespace wb
