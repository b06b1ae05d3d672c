#pragma once

// The rail: one row per account, the hosted server's first. Owns the Accounts.

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>
#include <memory>
#include <vector>

namespace natter::desktop {

class Account;

class AccountListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The account list belongs to App")
    Q_MOC_INCLUDE("account.h")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)

public:
    // QML names in quotes.
    enum Role {
        AccountRole = Qt::UserRole + 1, // "account"         Account*
        AccountIdRole,                  // "accountId"       QString
        LabelRole,                      // "label"           QString: who we are there (also DisplayRole)
        ServerAddressRole,              // "serverAddress"   QString: host:port
        ServerNameRole,                 // "serverName"      QString: the server's name, else its address
        DialectRole,                    // "dialect"         QString
        HostedRole,                     // "hosted"          bool: the server this app hosts
        ConnectionStateRole,            // "connectionState" QString: offline/connecting/online/reconnecting
        UnreadRole,                     // "unread"          int: unread messages over all rooms
        RailNameRole,                   // "railName"        QString: the badge's name (Account::railName)
    };
    Q_ENUM(Role)

    explicit AccountListModel(QObject *parent = nullptr);
    ~AccountListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_accounts.size()); }
    int totalUnread() const;
    Q_INVOKABLE natter::desktop::Account *at(int row) const;
    Account *find(const QString &accountId) const;
    int rowOf(const QString &accountId) const;
    QList<Account *> accounts() const;

    // Takes ownership; a hosted account goes first.
    void add(std::unique_ptr<Account> account);
    void remove(const QString &accountId);

signals:
    void countChanged();
    void totalUnreadChanged();

private:
    void rowChanged(Account *account, const QList<int> &roles);
    std::vector<std::unique_ptr<Account>> m_accounts;
};

} // namespace natter::desktop
