// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb check [--repair]: the whole catalog verified (SQLite's integrity,
// every artifact file present and matching its checksum, orphan files).
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "core/files.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace wb::cli {

namespace {

std::string humanBytes(std::int64_t b)
{
    char buf[32];
    if (b < 1024)
        std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(b));
    else if (b < 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(b) / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(b) / (1024.0 * 1024.0));
    return buf;
}

} // namespace

int cmdCheck(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("check", {"--repair"});
    if (a.positional().size() != 1)
        throw InputError("usage: lmwb check [--repair] [--json]");
    if (!std::filesystem::exists(ctx.catalog))
        throw InputError("catalog " + ctx.catalog.string() + " does not exist");
    const bool repair = a.has("--repair");
    Catalog catalog(ctx.catalog);
    const auto r = catalog.check(repair, [&](double f) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "checking artifacts: %3.0f%%", 100.0 * f);
        progressLine(buf, f >= 1.0);
        if (ctx.interrupted.load())
            throw Cancelled();
    });
    if (ctx.json) {
        nlohmann::json damaged = nlohmann::json::array();
        for (const auto& d : r.damaged)
            damaged.push_back({{"path", d.artifact.path},
                               {"kind", d.artifact.kind},
                               {"problem", d.problem},
                               {"dependent", d.dependent},
                               {"moved_to", d.movedTo.empty() ? nlohmann::json() : nlohmann::json(d.movedTo)},
                               {"outside", d.outside}});
        nlohmann::json orphanPaths = nlohmann::json::array(), orphanFiles = nlohmann::json::array(),
                       removed = nlohmann::json::array(), removedTemporaries = nlohmann::json::array();
        for (const auto& o : r.orphans) {
            orphanPaths.push_back(o.path);
            orphanFiles.push_back({{"path", o.path}, {"bytes", o.bytes}});
        }
        for (const auto& o : r.removedOrphans) {
            removed.push_back({{"path", o.path}, {"bytes", o.bytes}});
            if (temporaryName(std::filesystem::path(o.path).filename().string()))
                removedTemporaries.push_back(o.path);
        }
        std::cout << nlohmann::json{{"catalog", ctx.catalog.string()},
                                    {"ok", r.ok()},
                                    {"database", r.database},
                                    {"damaged", damaged},
                                    {"orphans", orphanPaths},
                                    {"orphan_files", orphanFiles},
                                    {"removed_orphans", removed},
                                    {"removed_temporaries", removedTemporaries},
                                    {"outside_links", r.outsideLinks},
                                    {"artifacts_checked", r.artifactsChecked},
                                    {"bytes_hashed", r.bytesHashed},
                                    {"repaired", r.repaired}}
                         .dump()
                  << '\n';
    } else {
        std::cout << "catalog " << ctx.catalog.string() << ": " << r.artifactsChecked << " artifact files checked ("
                  << r.bytesHashed / (1024 * 1024) << " MiB hashed)\n";
        for (const auto& p : r.database)
            std::cout << "  database: " << p << '\n';
        for (const auto& d : r.damaged)
            std::cout << "  " << (d.outside ? "outside" : "damaged") << ": " << d.artifact.path << " (" << d.problem << "), "
                      << d.dependent
                      << (d.movedTo.empty() ? std::string() : "; moved aside to " + d.movedTo)
                      << (d.outside && repair ? "; the row was dropped, the file it names was not touched" : "") << '\n';
        for (const auto& l : r.outsideLinks)
            std::cout << "  link out of the catalog: " << l
                      << (repair ? " (the link was removed, not what it points to)" : " (never followed)") << '\n';
        for (const auto& o : r.removedOrphans)
            std::cout << "  removed orphan: " << o.path << " (" << humanBytes(o.bytes) << ")\n";
        std::int64_t orphanBytes = 0;
        for (const auto& o : r.orphans) {
            std::cout << "  orphan (no catalog row names it): " << o.path << " (" << humanBytes(o.bytes) << ")\n";
            orphanBytes += o.bytes;
        }
        if (r.ok())
            std::cout << "all is well"
                      << (r.orphans.empty() ? std::string()
                                            : " (" + std::to_string(r.orphans.size()) + " orphan files, " + humanBytes(orphanBytes)
                                                  + ": lmwb check --repair removes them)")
                      << '\n';
        else if (!repair && !r.damaged.empty())
            std::cout << "lmwb check --repair moves the damaged files aside (and drops rows that point outside the catalog); "
                         "resume then continues from the checkpoint before\n";
    }
    // 0 when all is well or repaired; 1 when problems remain.
    return r.ok() || (repair && r.database.empty()) ? 0 : 1;
}

} // namespace wb::cli
