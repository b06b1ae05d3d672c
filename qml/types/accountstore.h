#pragma once

// Reads and writes the account list in QSettings ("accounts" array).

#include "accountconfig.h"

#include <QList>

class QSettings;

namespace natter::desktop {

QList<AccountConfig> loadAccounts(QSettings &settings);
void saveAccounts(QSettings &settings, const QList<AccountConfig> &accounts);

} // namespace natter::desktop
