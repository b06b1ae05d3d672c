#include "accountlistmodel.h"

#include "account.h"
#include "chatsession.h"
#include "roomlistmodel.h"

namespace natter::desktop {

AccountListModel::AccountListModel(QObject *parent) : QAbstractListModel(parent) { }

AccountListModel::~AccountListModel()
{
    // Accounts going away one by one must not call back into a model being destroyed.
    for (const auto &account : m_accounts) {
        account->disconnect(this);
        if (account->session())
            account->session()->rooms()->disconnect(this);
    }
}

int AccountListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant AccountListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    Account *account = m_accounts.at(size_t(index.row())).get();
    switch (role) {
    case AccountRole:
        return QVariant::fromValue(account);
    case AccountIdRole:
        return account->accountId();
    case Qt::DisplayRole:
    case LabelRole:
        return account->label();
    case ServerAddressRole:
        return account->serverAddress();
    case ServerNameRole:
        return account->serverName();
    case DialectRole:
        return account->dialect();
    case HostedRole:
        return account->hosted();
    case ConnectionStateRole:
        return account->connectionState();
    case UnreadRole:
        return account->session() ? account->session()->rooms()->totalUnread() : 0;
    case RailNameRole:
        return account->railName();
    default:
        return {};
    }
}

QHash<int, QByteArray> AccountListModel::roleNames() const
{
    return {{AccountRole, "account"},
            {AccountIdRole, "accountId"},
            {LabelRole, "label"},
            {ServerAddressRole, "serverAddress"},
            {ServerNameRole, "serverName"},
            {DialectRole, "dialect"},
            {HostedRole, "hosted"},
            {ConnectionStateRole, "connectionState"},
            {UnreadRole, "unread"},
            {RailNameRole, "railName"}};
}

int AccountListModel::totalUnread() const
{
    int total = 0;
    for (const auto &account : m_accounts) {
        if (account->session())
            total += account->session()->rooms()->totalUnread();
    }
    return total;
}

Account *AccountListModel::at(int row) const
{
    return row >= 0 && row < count() ? m_accounts.at(size_t(row)).get() : nullptr;
}

Account *AccountListModel::find(const QString &accountId) const
{
    return at(rowOf(accountId));
}

int AccountListModel::rowOf(const QString &accountId) const
{
    for (size_t row = 0; row < m_accounts.size(); ++row) {
        if (m_accounts.at(row)->accountId() == accountId)
            return int(row);
    }
    return -1;
}

QList<Account *> AccountListModel::accounts() const
{
    QList<Account *> result;
    for (const auto &account : m_accounts)
        result.append(account.get());
    return result;
}

void AccountListModel::add(std::unique_ptr<Account> account)
{
    Account *raw = account.get();
    const int row = raw->hosted() ? 0 : count();
    connect(raw, &Account::connectionStateChanged, this,
            [this, raw] { rowChanged(raw, {ConnectionStateRole}); });
    connect(raw, &Account::railNameChanged, this, [this, raw] { rowChanged(raw, {RailNameRole}); });
    if (raw->session()) {
        connect(raw->session()->rooms(), &client::RoomListModel::totalUnreadChanged, this, [this, raw] {
            rowChanged(raw, {UnreadRole});
            emit totalUnreadChanged();
        });
    }
    beginInsertRows({}, row, row);
    m_accounts.insert(m_accounts.begin() + row, std::move(account));
    endInsertRows();
    emit countChanged();
    emit totalUnreadChanged();
}

void AccountListModel::remove(const QString &accountId)
{
    const int row = rowOf(accountId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    std::unique_ptr<Account> gone = std::move(m_accounts.at(size_t(row)));
    gone->disconnect(this);
    if (gone->session())
        gone->session()->rooms()->disconnect(this);
    m_accounts.erase(m_accounts.begin() + row);
    endRemoveRows();
    gone.reset();
    emit countChanged();
    emit totalUnreadChanged();
}

void AccountListModel::rowChanged(Account *account, const QList<int> &roles)
{
    const int row = rowOf(account->accountId());
    if (row >= 0)
        emit dataChanged(index(row), index(row), roles);
}

} // namespace natter::desktop
