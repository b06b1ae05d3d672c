#include "peoplemodel.h"

#include "deliveryrules.h"

namespace natter::client {

PeopleModel::PeopleModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int PeopleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_people.size());
}

QVariant PeopleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Person &person = m_people.at(index.row());
    switch (role) {
    case PersonIdRole:
        return person.id;
    case UsernameRole:
        return person.username;
    case Qt::DisplayRole:
    case DisplayNameRole:
        return displayNameOf(person.displayName, person.username, person.id);
    case OnlineRole:
        return person.online;
    default:
        return {};
    }
}

QHash<int, QByteArray> PeopleModel::roleNames() const
{
    static const QHash<int, QByteArray> names{
        {PersonIdRole, "personId"}, {UsernameRole, "username"}, {DisplayNameRole, "displayName"},
        {OnlineRole, "online"},
    };
    return names;
}

void PeopleModel::setPeople(const QList<Person> &people)
{
    const int before = count();
    beginResetModel();
    m_people = people;
    endResetModel();
    if (count() != before)
        emit countChanged();
}

std::optional<Person> PeopleModel::person(const QString &personId) const
{
    const int row = indexOf(personId);
    return row >= 0 ? std::optional<Person>(m_people.at(row)) : std::nullopt;
}

int PeopleModel::indexOf(const QString &personId) const
{
    for (int row = 0; row < count(); ++row) {
        if (m_people.at(row).id == personId)
            return row;
    }
    return -1;
}

} // namespace natter::client
