// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/distributed.h"

#include "core/errors.h"

#ifdef LMWB_HAVE_GLOO
// Debian's (and PyTorch's) LibTorch is built with Gloo; its header is
// guarded by the macro the PyTorch build itself defines.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef LMWB_USE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <torch/torch.h>

#include <cstdlib>

namespace wb {

namespace {

std::optional<long> envInt(const char* name, long lo, long hi)
{
    const char* v = std::getenv(name);
    if (!v || !*v)
        return std::nullopt;
    char* end = nullptr;
    const long x = std::strtol(v, &end, 10);
    if (*end != '\0' || x < lo || x > hi)
        throw InputError(std::string("environment variable ") + name + "='" + v + "': expected an integer from "
                         + std::to_string(lo) + " to " + std::to_string(hi));
    return x;
}

} // namespace

std::optional<DistributedEnv> DistributedEnv::fromEnvironment()
{
    auto world = envInt("WORLD_SIZE", 1, 65536);
    auto rank = envInt("RANK", 0, 65535);
    auto local = envInt("LOCAL_RANK", 0, 65535);
    if (!world) { // Slurm's names
        world = envInt("SLURM_NTASKS", 1, 65536);
        rank = envInt("SLURM_PROCID", 0, 65535);
        local = envInt("SLURM_LOCALID", 0, 65535);
    }
    if (!world || *world <= 1)
        return std::nullopt;
    DistributedEnv e;
    e.worldSize = static_cast<int>(*world);
    if (!rank)
        throw InputError("WORLD_SIZE is " + std::to_string(*world) + " but RANK is not set");
    e.rank = static_cast<int>(*rank);
    if (e.rank >= e.worldSize)
        throw InputError("RANK " + std::to_string(e.rank) + " is not below WORLD_SIZE " + std::to_string(e.worldSize));
    e.localRank = static_cast<int>(local.value_or(0));
    if (const char* addr = std::getenv("MASTER_ADDR"); addr && *addr) {
        e.masterAddr = addr;
    } else {
        // Only a job on one machine can do without it (rank 0 on loopback).
        const char* nodes = std::getenv("SLURM_NNODES");
        if (!(nodes && std::string(nodes) == "1"))
            throw InputError("MASTER_ADDR is not set (the address of rank 0's machine); under Slurm, for example: "
                             "export MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)");
    }
    e.masterPort = static_cast<int>(envInt("MASTER_PORT", 1, 65535).value_or(29500));
    return e;
}

// The concrete group types: in LibTorch 2.x they derive from c10d::Backend,
// in 1.13 from c10d::ProcessGroup; both offer the same collectives.
#ifdef LMWB_HAVE_GLOO
struct DataParallel::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#ifdef LMWB_USE_NCCL
    c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
    std::string backend;

    template <typename F>
    auto collective(F&& f)
    {
#ifdef LMWB_USE_NCCL
        if (nccl)
            return f(*nccl);
#endif
        return f(*gloo);
    }
};

DataParallel::DataParallel(const DistributedEnv& env, const std::string& device, std::chrono::milliseconds timeout)
    : m_env(env), d(std::make_unique<Impl>())
{
    c10d::TCPStoreOptions opts;
    opts.port = static_cast<std::uint16_t>(env.masterPort);
    opts.isServer = env.rank == 0;
    opts.numWorkers = static_cast<std::size_t>(env.worldSize);
    opts.waitWorkers = true;
    opts.timeout = timeout;
    try {
        d->store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, opts);
    } catch (const std::exception& e) {
        throw RuntimeError("rank " + std::to_string(env.rank) + ": rendezvous at " + env.masterAddr + ":"
                           + std::to_string(env.masterPort) + " failed: " + e.what());
    }
#ifdef LMWB_USE_NCCL
    if (device == "cuda") {
        auto o = c10d::ProcessGroupNCCL::Options::create();
        o->timeout = timeout;
        d->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(d->store, env.rank, env.worldSize, o);
        d->backend = "nccl";
        return;
    }
#endif
    auto o = c10d::ProcessGroupGloo::Options::create(timeout);
    // On one machine talk over loopback; across machines Gloo binds to the
    // address the host name resolves to (GLOO_SOCKET_IFNAME picks a NIC).
    if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
        o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
    else if (env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost")
        o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
        o->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    o->threads = 2;
    d->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(d->store, env.rank, env.worldSize, o);
    d->backend = "gloo";
}

DataParallel::~DataParallel() = default;

std::string DataParallel::backend() const
{
    return d->backend;
}

void DataParallel::barrier()
{
    d->collective([](auto& g) { return g.barrier(); })->wait();
}

void DataParallel::broadcast(const std::vector<at::Tensor>& tensors)
{
    torch::NoGradGuard noGrad;
    for (const auto& t : tensors) {
        std::vector<at::Tensor> one{t.detach()};
        d->collective([&](auto& g) { return g.broadcast(one); })->wait();
    }
}

void DataParallel::averageGradients(const std::vector<at::Tensor>& parameters, const std::vector<at::Tensor>& sums)
{
    torch::NoGradGuard noGrad;
    // One flat buffer: every gradient, then the scalars (one allreduce per
    // step instead of one per tensor).
    std::vector<at::Tensor> pieces;
    pieces.reserve(parameters.size() + 1);
    at::TensorOptions opts = parameters.empty() ? torch::TensorOptions() : parameters.front().options();
    for (const auto& p : parameters)
        pieces.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, opts));
    for (const auto& t : sums)
        pieces.push_back(t.reshape({-1}).to(opts.device(), opts.dtype()));
    std::vector<at::Tensor> flat{torch::cat(pieces)};
    d->collective([&](auto& g) { return g.allreduce(flat); })->wait();
    const double inv = 1.0 / static_cast<double>(m_env.worldSize);
    std::int64_t offset = 0;
    for (const auto& p : parameters) {
        const auto n = p.numel();
        auto g = flat[0].slice(0, offset, offset + n).view(p.sizes()).mul(inv);
        if (p.grad().defined())
            p.mutable_grad().copy_(g);
        else
            p.mutable_grad() = g.clone();
        offset += n;
    }
    for (const auto& t : sums)
        t.copy_(flat[0][offset++].view(t.sizes())); // a handle: its data changes in place
}

#else // built without Gloo's headers

struct DataParallel::Impl {};

DataParallel::DataParallel(const DistributedEnv& env, const std::string&, std::chrono::milliseconds) : m_env(env)
{
    throw InputError("this build of LM Workbench has no c10d Gloo (Gloo's headers were not found at build time); "
                     "data-parallel training is unavailable: install libgloo-dev and rebuild");
}
DataParallel::~DataParallel() = default;
std::string DataParallel::backend() const { return {}; }
void DataParallel::barrier() {}
void DataParallel::broadcast(const std::vector<at::Tensor>&) {}
void DataParallel::averageGradients(const std::vector<at::Tensor>&, const std::vector<at::Tensor>&) {}

#endif

} // namespace wb
