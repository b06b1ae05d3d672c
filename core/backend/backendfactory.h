#pragma once

#include "backend.h"

#include <QStringList>
#include <memory>

namespace natter::client {

QStringList backendDialects(); // the dialects a client can speak
// nullptr for an unknown dialect.
std::unique_ptr<Backend> makeBackend(const QString &dialect, Backend::Settings settings);

} // namespace natter::client
