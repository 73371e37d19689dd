// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb check [--repair]: the whole catalog verified (SQLite's integrity,
// every artifact file present and matching its checksum, orphan files).
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace wb::cli {

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
                               {"moved_to", d.movedTo.empty() ? nlohmann::json() : nlohmann::json(d.movedTo)}});
        std::cout << nlohmann::json{{"catalog", ctx.catalog.string()},
                                    {"ok", r.ok()},
                                    {"database", r.database},
                                    {"damaged", damaged},
                                    {"orphans", r.orphans},
                                    {"removed_temporaries", r.removedTemporaries},
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
            std::cout << "  damaged: " << d.artifact.path << " (" << d.problem << "), " << d.dependent
                      << (d.movedTo.empty() ? std::string() : "; moved aside to " + d.movedTo) << '\n';
        for (const auto& t : r.removedTemporaries)
            std::cout << "  removed the temporary file of a killed write: " << t << '\n';
        for (const auto& o : r.orphans)
            std::cout << "  orphan (no catalog row names it): " << o << '\n';
        if (r.ok())
            std::cout << "all is well" << (r.orphans.empty() ? "" : " (orphan files can be deleted)") << '\n';
        else if (!repair && !r.damaged.empty())
            std::cout << "lmwb check --repair moves the damaged files aside; resume then continues from the checkpoint before\n";
    }
    // 0 when all is well or repaired; 1 when problems remain.
    return r.ok() || (repair && r.database.empty()) ? 0 : 1;
}

} // namespace wb::cli
