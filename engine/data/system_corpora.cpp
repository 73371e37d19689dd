// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/system_corpora.h"

#include "core/errors.h"
#include "core/paths.h"
#include "data/glob.h"

#include <algorithm>

namespace fs = std::filesystem;

namespace wb {

namespace {

// Counts the files under `dir` that the options' globs admit.
void measure(SystemCorpus& c)
{
    for (const auto& root : c.options.paths) {
        std::error_code ec;
        if (fs::is_regular_file(root, ec)) {
            ++c.files;
            c.bytes += static_cast<std::int64_t>(fs::file_size(root, ec));
            continue;
        }
        for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code e2;
            if (!it->is_regular_file(e2))
                continue;
            const std::string rel = it->path().lexically_relative(root).generic_string();
            auto any = [&](const std::vector<std::string>& g) {
                return std::any_of(g.begin(), g.end(), [&](const auto& p) { return globMatch(p, rel); });
            };
            if ((!c.options.include.empty() && !any(c.options.include)) || any(c.options.exclude))
                continue;
            ++c.files;
            c.bytes += static_cast<std::int64_t>(it->file_size(e2));
        }
    }
}

fs::path newestPythonLib()
{
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib", ec)) {
        const auto n = e.path().filename().string();
        if (n.rfind("python3.", 0) == 0 && fs::exists(e.path() / "os.py"))
            found.push_back(e.path());
    }
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
        auto minor = [](const fs::path& p) { return std::atoi(p.filename().string().c_str() + 8); };
        return minor(a) < minor(b);
    });
    return found.empty() ? fs::path() : found.back();
}

} // namespace

std::vector<SystemCorpus> systemCorpora()
{
    std::vector<SystemCorpus> out;
    const auto fortunes = systemFortuneFiles();
    if (!fortunes.empty()) {
        SystemCorpus c;
        c.name = kDefaultCorpusName;
        c.description = "Debian fortunes: short quotations, jokes and verse (English)";
        c.kind = "text";
        c.options.paths = fortunes;
        c.options.format = TextFormat::Blocks;
        measure(c);
        out.push_back(c);

        SystemCorpus q = c;
        q.name = "fortunes-qa";
        q.description = "Debian fortunes with a question and an answer (Q:/A:), as question -> answer pairs";
        q.kind = "pairs";
        q.options.format = TextFormat::Qa;
        q.options.split = {0.8, 0.1, 0.1};
        out.push_back(q);

        SystemCorpus t = c;
        t.name = "fortunes-topics";
        t.description = "Debian fortunes labeled by category file (topic classification)";
        t.kind = "labeled";
        t.options.labelFromFileName = true;
        out.push_back(t);
    }
    if (fs::is_directory("/usr/include")) {
        SystemCorpus c;
        c.name = "c-headers";
        c.description = "C and C++ headers of the system include folder (code)";
        c.kind = "code";
        c.options.paths = {"/usr/include"};
        c.options.format = TextFormat::Text;
        c.options.include = {"**/*.h", "**/*.hpp", "**/*.hh"};
        measure(c);
        if (c.files > 0)
            out.push_back(c);
    }
    if (const auto py = newestPythonLib(); !py.empty()) {
        SystemCorpus c;
        c.name = "python-stdlib";
        c.description = "The Python " + py.filename().string().substr(6) + " standard library (code)";
        c.kind = "code";
        c.options.paths = {py};
        c.options.format = TextFormat::Text;
        c.options.include = {"**/*.py"};
        c.options.exclude = {"test/**", "**/tests/**", "idlelib/idle_test/**", "site-packages/**", "dist-packages/**"};
        measure(c);
        if (c.files > 0)
            out.push_back(c);

        SystemCorpus d = c;
        d.name = "python-docstrings";
        d.description = "Functions of the Python " + py.filename().string().substr(6)
                        + " standard library with a docstring, as docstring -> source pairs";
        d.kind = "pairs";
        d.options.format = TextFormat::Docstrings;
        d.options.maxChars = 4000; // a function longer than that is rarely a useful example for a small model
        if (d.files > 0)
            out.push_back(d);
    }
    if (fs::is_directory("/usr/share/man/man1")) {
        SystemCorpus c;
        c.name = "man-pages";
        c.description = "English manual pages, sections 1-8, as plain text (technical English)";
        c.kind = "text";
        c.options.paths = {"/usr/share/man"};
        c.options.format = TextFormat::Man;
        c.options.include = {"man[1-8]/*"};
        measure(c);
        if (c.files > 0)
            out.push_back(c);
    }
    return out;
}

SystemCorpus systemCorpus(const std::string& name)
{
    std::string names;
    for (auto& c : systemCorpora()) {
        if (c.name == name)
            return c;
        names += (names.empty() ? "" : ", ") + c.name;
    }
    throw InputError("no system corpus named '" + name + "' on this machine (found: " + (names.empty() ? "none" : names)
                     + ")");
}

} // namespace wb
