// SPDX-License-Identifier: GPL-3.0-or-later
// Data-parallel training across processes and machines with PyTorch's own
// distributed engine, c10d: a TCP store for the rendezvous, ProcessGroupGloo
// on CPU (NCCL when built for it with a CUDA LibTorch). Each rank trains on
// its share of the global batch; gradients are averaged in one allreduce per
// step, so every rank applies the same update and holds the same weights.
// Included only by engine sources (LibTorch comes from their precompiled
// header); at::Tensor is only named here.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace wb {

// Where this process sits in a job, as launchers describe it: torchrun sets
// RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT; under Slurm
// (srun) SLURM_PROCID, SLURM_NTASKS and SLURM_LOCALID stand in for the first
// three. `lmwb train --nproc N` sets them for its N local ranks.
struct DistributedEnv {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    bool enabled() const { return worldSize > 1; }
    // Nothing when the variables describe a single process; InputError
    // naming the variable when one is malformed.
    static std::optional<DistributedEnv> fromEnvironment();
};

class DataParallel {
public:
    // Rendezvous: rank 0 serves the TCP store at MASTER_ADDR:MASTER_PORT, all
    // ranks join it and form the process group. `timeout` bounds every
    // collective, so a rank that died does not hang the others forever.
    DataParallel(const DistributedEnv& env, const std::string& device,
                 std::chrono::milliseconds timeout = std::chrono::minutes(10));
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    int rank() const { return m_env.rank; }
    int worldSize() const { return m_env.worldSize; }
    int localRank() const { return m_env.localRank; }
    std::string backend() const;

    void barrier();
    // Every rank's copies of `tensors` become rank 0's.
    void broadcast(const std::vector<at::Tensor>& tensors);
    // Replaces each parameter's gradient by its mean over the ranks and each
    // of `sums` (scalar tensors on the parameters' device) by its sum over
    // the ranks, in place, in one allreduce of one buffer; nothing is read
    // back to the host.
    void averageGradients(const std::vector<at::Tensor>& parameters, const std::vector<at::Tensor>& sums);

private:
    struct Impl;
    DistributedEnv m_env;
    std::unique_ptr<Impl> d;
};

} // namespace wb
