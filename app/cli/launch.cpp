// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb train --nproc N: starts N local ranks of the same command with the
// variables torchrun would set, and waits for them.
#include "cli/commands.h"
#include "core/errors.h"
#include "compute/threads.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

extern char** environ;

namespace wb::cli {

namespace {

// A TCP port free on loopback right now, for rank 0's store.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw RuntimeError(std::string("--nproc: cannot open a socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw RuntimeError(std::string("--nproc: cannot find a free port: ") + std::strerror(errno));
    }
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

} // namespace

int launchLocalRanks(Context& ctx, int nproc)
{
    // The same command line without --nproc; each rank gets its share of the
    // cores unless --threads says otherwise.
    std::vector<std::string> args;
    bool threadsGiven = false;
    for (std::size_t i = 1; i < ctx.argv.size(); ++i) {
        const std::string& s = ctx.argv[i];
        if (s == "--nproc") {
            ++i;
            continue;
        }
        if (s.rfind("--nproc=", 0) == 0)
            continue;
        if (s == "--threads" || s.rfind("--threads=", 0) == 0)
            threadsGiven = true;
        args.push_back(s);
    }
    if (!threadsGiven) {
        args.push_back("--threads");
        args.push_back(std::to_string(std::max(1, hardwareThreads() / nproc)));
    }
    const int port = freePort();
    std::cerr << "launching " << nproc << " ranks (c10d Gloo on 127.0.0.1:" << port << ")\n";

    std::vector<pid_t> pids(static_cast<std::size_t>(nproc), 0);
    for (int r = 0; r < nproc; ++r) {
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) {
            const std::string v = *e;
            for (const char* name : {"RANK=", "WORLD_SIZE=", "LOCAL_RANK=", "MASTER_ADDR=", "MASTER_PORT=",
                                     "LOCAL_WORLD_SIZE="})
                if (v.rfind(name, 0) == 0)
                    goto skip;
            env.push_back(v);
        skip:;
        }
        env.push_back("RANK=" + std::to_string(r));
        env.push_back("LOCAL_RANK=" + std::to_string(r));
        env.push_back("WORLD_SIZE=" + std::to_string(nproc));
        env.push_back("LOCAL_WORLD_SIZE=" + std::to_string(nproc));
        env.push_back("MASTER_ADDR=127.0.0.1");
        env.push_back("MASTER_PORT=" + std::to_string(port));
        std::vector<char*> envp, argv;
        for (auto& v : env)
            envp.push_back(v.data());
        envp.push_back(nullptr);
        std::string self = "/proc/self/exe";
        argv.push_back(ctx.argv[0].data());
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        if (r > 0) // one JSON result on stdout: rank 0's
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        // Ranks in their own process group: Ctrl-C reaches this launcher,
        // which passes one SIGINT to each rank (a second would kill them).
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        pid_t pid = 0;
        const int rc = posix_spawn(&pid, self.c_str(), &actions, &attr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            for (pid_t p : pids)
                if (p > 0)
                    ::kill(p, SIGKILL); // waiting for a rank that never comes: SIGTERM would only ask it to stop
            throw RuntimeError("--nproc: cannot start rank " + std::to_string(r) + ": " + std::strerror(rc));
        }
        pids[static_cast<std::size_t>(r)] = pid;
    }

    std::vector<int> codes(pids.size(), -1);
    std::size_t running = pids.size();
    bool forwarded = false;
    auto firstFailure = std::chrono::steady_clock::time_point{};
    bool killed = false;
    while (running > 0) {
        if (ctx.interrupted.load() && !forwarded) {
            for (std::size_t i = 0; i < pids.size(); ++i)
                if (codes[i] < 0)
                    ::kill(pids[i], SIGINT);
            forwarded = true;
        }
        for (std::size_t i = 0; i < pids.size(); ++i) {
            if (codes[i] >= 0)
                continue;
            int st = 0;
            if (::waitpid(pids[i], &st, WNOHANG) == pids[i]) {
                codes[i] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                --running;
                if (codes[i] != 0 && codes[i] != 130 && firstFailure == std::chrono::steady_clock::time_point{}) {
                    std::cerr << "lmwb: rank " << i << " ended with exit code " << codes[i] << '\n';
                    firstFailure = std::chrono::steady_clock::now();
                }
            }
        }
        // A rank that failed leaves the others waiting in a collective:
        // end them after a grace period.
        if (running > 0 && !killed && firstFailure != std::chrono::steady_clock::time_point{}
            && std::chrono::steady_clock::now() - firstFailure > std::chrono::seconds(10)) {
            for (std::size_t i = 0; i < pids.size(); ++i)
                if (codes[i] < 0)
                    ::kill(pids[i], SIGKILL); // stuck in a collective: a rank stops on SIGTERM only between steps
            killed = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (int c : codes)
        if (c != 0)
            return c == 130 ? 130 : (codes[0] != 0 ? codes[0] : 1);
    return 0;
}

} // namespace wb::cli
