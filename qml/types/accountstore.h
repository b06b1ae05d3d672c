#pragma once

// Reads and writes the account list in QSettings ("accounts" array): everything
// but the secrets, which SecretVault keeps. saveAccounts() never writes a token
// or cookie; loadAccounts() still reads those an older version wrote there.

#include "accountconfig.h"

#include <QList>

class QSettings;

namespace natter::desktop {

QList<AccountConfig> loadAccounts(QSettings &settings);
void saveAccounts(QSettings &settings, const QList<AccountConfig> &accounts);

} // namespace natter::desktop
