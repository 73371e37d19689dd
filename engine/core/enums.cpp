// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/enums.h"

#include <nlohmann/json.hpp>

namespace wb {

void to_json(nlohmann::json& j, Optimizer v)
{
    j = enumName(v);
}

void to_json(nlohmann::json& j, Schedule v)
{
    j = enumName(v);
}

void to_json(nlohmann::json& j, Device v)
{
    j = enumName(v);
}

void to_json(nlohmann::json& j, Precision v)
{
    j = enumName(v);
}

void to_json(nlohmann::json& j, RunStatus v)
{
    j = enumName(v);
}

void to_json(nlohmann::json& j, Task v)
{
    j = enumName(v);
}

void to_json(nlohmann::json& j, FinetuneMethod v)
{
    j = enumName(v);
}

} // namespace wb
